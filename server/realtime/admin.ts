/**
 * The /admin namespace the admin page talks to. The handshake needs a valid admin session cookie
 * from the same origin; each event re-checks the session (logout and expiry take effect at once),
 * is validated with its shared schema, handed to the live service and acked. Bus facts fan out
 * to `site:<id>` (the live list) and `conversation:<id>` (an open transcript).
 */
import type { Namespace, Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { AdminPayloads, type AdminServerEvents } from '../../shared/admin-api.ts';
import { AppError, type ErrorCode } from '../../shared/errors.ts';
import type { Actor } from '../auth/accounts.ts';
import { readCookie, SESSION_COOKIE } from '../auth/cookies.ts';
import type { SessionService } from '../auth/sessions.ts';
import type { ConversationBus, ConversationBusEvents } from '../conversation/events.ts';
import type { Logger } from '../logger.ts';
import type { LiveService } from '../review/live.ts';
import { handle, splitArgs } from './handle.ts';
import { anyoneIn } from './rooms.ts';
import { requestOrigin } from './visitor.ts';

export interface AdminNamespaceDeps {
  live: LiveService;
  sessions: SessionService;
  bus: ConversationBus;
  log: Logger;
  /** the admin page's public origin when behind a proxy (e.g. https://parley.example) */
  publicUrl?: string | null;
  /** teams: which sites and conversations the caller may see; out of sight answers not_found */
  access?: {
    assertSite(actor: Actor, siteId: string): void | Promise<void>;
    assertConversation(actor: Actor, conversationId: string): void | Promise<void>;
  };
}

export const siteRoom = (siteId: string) => `site:${siteId}`;
export const conversationRoom = (conversationId: string) => `conversation:${conversationId}`;

function refuse(code: ErrorCode, message: string): Error {
  return Object.assign(new Error(message), { data: { code } });
}

/** the page must come from this server: its own host, or the configured public URL */
function sameOrigin(socket: Socket, publicUrl: string | null | undefined): boolean {
  const origin = requestOrigin(socket.handshake.headers, socket.handshake.secure);
  if (!origin) return false;
  const host = socket.handshake.headers.host;
  const own = [typeof host === 'string' ? `${socket.handshake.secure ? 'https' : 'http'}://${host}` : null];
  if (publicUrl) own.push(new URL(publicUrl).origin);
  return own.includes(origin.replace(/\/+$/, ''));
}

export function registerAdminNamespace(io: Server, deps: AdminNamespaceDeps): { nsp: Namespace; stop(): void } {
  const { live, sessions, bus, log } = deps;
  const nsp = io.of('/admin');
  const tokens = new WeakMap<Socket, string>();

  nsp.use((socket, next) => {
    if (!sameOrigin(socket, deps.publicUrl)) return next(refuse('forbidden', 'The admin socket only accepts its own origin.'));
    const token = readCookie(socket.handshake.headers.cookie, SESSION_COOKIE);
    if (!token) return next(refuse('unauthorized', 'Sign in first.'));
    void (async () => sessions.resolve(token))().then(
      (s) => {
        if (!s) return next(refuse('unauthorized', 'Sign in first.'));
        tokens.set(socket, token);
        next();
      },
      (err: unknown) => {
        log.error({ err }, 'admin handshake failed');
        next(refuse('internal', 'Something went wrong on our side.'));
      },
    );
  });

  nsp.on('connection', (socket) => {
    /** the caller, re-checked on every event; a dead session closes the socket after the ack */
    const actor = async (): Promise<Actor> => {
      const s = await sessions.resolve(tokens.get(socket));
      if (!s) {
        setImmediate(() => {
          socket.emit('session:ended');
          socket.disconnect(true);
        });
        throw new AppError('unauthorized', 'Your session has ended; sign in again.');
      }
      return { id: s.user.id, email: s.user.email, name: s.user.name, role: s.user.role };
    };
    const on = <S extends z.ZodType, R extends object>(event: keyof typeof AdminPayloads, schema: S, fn: (p: z.output<S>, who: Actor) => R | Promise<R>) =>
      socket.on(event, handle(event, schema, async (p) => fn(p, await actor()), log));

    const site = async (siteId: string, who: Actor): Promise<string> => {
      await deps.access?.assertSite(who, siteId);
      return siteId;
    };
    const conv = async (conversationId: string, who: Actor): Promise<string> => {
      await deps.access?.assertConversation(who, conversationId);
      return conversationId;
    };

    on('site:subscribe', AdminPayloads['site:subscribe'], async ({ siteId }, who) => {
      await site(siteId, who);
      const res = await live.openConversations(siteId);
      void socket.join(siteRoom(siteId));
      return res;
    });
    on('site:unsubscribe', AdminPayloads['site:unsubscribe'], ({ siteId }) => {
      void socket.leave(siteRoom(siteId));
      return {};
    });
    on('conversation:watch', AdminPayloads['conversation:watch'], async ({ conversationId }, who) => {
      await conv(conversationId, who);
      const res = await live.watch(conversationId);
      void socket.join(conversationRoom(conversationId));
      return res;
    });
    on('conversation:unwatch', AdminPayloads['conversation:unwatch'], ({ conversationId }) => {
      void socket.leave(conversationRoom(conversationId));
      return {};
    });
    on('conversation:take-over', AdminPayloads['conversation:take-over'], async ({ conversationId }, who) => {
      await conv(conversationId, who);
      const res = await live.takeOver(conversationId, who);
      void socket.join(conversationRoom(conversationId));
      return res;
    });
    on('conversation:hand-back', AdminPayloads['conversation:hand-back'], async ({ conversationId }, who) => live.handBack(await conv(conversationId, who), who));
    on('message:send', AdminPayloads['message:send'], async ({ conversationId, clientId, text }, who) => live.send(await conv(conversationId, who), who, text, clientId));
    on('canned:send', AdminPayloads['canned:send'], async ({ conversationId, clientId, cannedId }, who) => live.sendCanned(await conv(conversationId, who), who, cannedId, clientId));
    on('agent:typing', AdminPayloads['agent:typing'], async ({ conversationId, typing }, who) => {
      await live.typing(await conv(conversationId, who), who, typing);
      return {};
    });

    // every client event gets an answer: an unknown one an error ack instead of a client waiting forever
    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (typeof event === 'string' && Object.hasOwn(AdminPayloads, event)) return;
      const { ack } = splitArgs(args);
      ack(new AppError('invalid_payload', `Unknown event "${String(event).slice(0, 100)}".`).toAck());
    });
  });

  const stop = fanOutToAdmins(bus, nsp);
  return { nsp, stop };
}

type Fact<K extends keyof ConversationBusEvents> = ConversationBusEvents[K][0];

/** Bus facts -> admin rooms. Subscribe once per namespace; returns the unsubscribe. */
export function fanOutToAdmins(bus: ConversationBus, nsp: Namespace): () => void {
  // rooms nobody is in are skipped before socket.io encodes the packet (most visitor messages
  // and typing changes happen while no admin watches)
  const toRooms = <K extends keyof AdminServerEvents>(rooms: string | string[], event: K, ...args: Parameters<AdminServerEvents[K]>) => {
    if (anyoneIn(nsp, rooms)) nsp.to(rooms).emit(event, ...args);
  };
  const toSite = <K extends keyof AdminServerEvents>(siteId: string, event: K, ...args: Parameters<AdminServerEvents[K]>) =>
    toRooms(siteRoom(siteId), event, ...args);
  const toWatchers = <K extends keyof AdminServerEvents>(conversationId: string, event: K, ...args: Parameters<AdminServerEvents[K]>) =>
    toRooms(conversationRoom(conversationId), event, ...args);

  const handlers = {
    'conversation:started': (e: Fact<'conversation:started'>) => toSite(e.siteId, 'conversation:started', e),
    'conversation:updated': (e: Fact<'conversation:updated'>) => {
      // one emit to both rooms: a socket in both gets it once
      toRooms([siteRoom(e.siteId), conversationRoom(e.conversationId)], 'conversation:updated', e);
    },
    'conversation:ended': (e: Fact<'conversation:ended'>) => toRooms([siteRoom(e.siteId), conversationRoom(e.conversationId)], 'conversation:ended', e),
    'handoff:requested': (e: Fact<'handoff:requested'>) => toSite(e.siteId, 'handoff:requested', e),
    'message:created': ({ origin: _origin, ...e }: Fact<'message:created'>) =>
      toRooms([siteRoom(e.siteId), conversationRoom(e.conversationId)], 'message:created', e),
    'message:delta': (e: Fact<'message:delta'>) => toWatchers(e.conversationId, 'message:delta', e),
    'typing:changed': (e: Fact<'typing:changed'>) => toWatchers(e.conversationId, 'typing:changed', e),
  };
  bus.on('conversation:started', handlers['conversation:started']);
  bus.on('conversation:updated', handlers['conversation:updated']);
  bus.on('conversation:ended', handlers['conversation:ended']);
  bus.on('handoff:requested', handlers['handoff:requested']);
  bus.on('message:created', handlers['message:created']);
  bus.on('message:delta', handlers['message:delta']);
  bus.on('typing:changed', handlers['typing:changed']);
  return () => {
    bus.off('conversation:started', handlers['conversation:started']);
    bus.off('conversation:updated', handlers['conversation:updated']);
    bus.off('conversation:ended', handlers['conversation:ended']);
    bus.off('handoff:requested', handlers['handoff:requested']);
    bus.off('message:created', handlers['message:created']);
    bus.off('message:delta', handlers['message:delta']);
    bus.off('typing:changed', handlers['typing:changed']);
  };
}

/**
 * The /visitor namespace the widget talks to. The handshake resolves the site, checks the page's
 * origin and the per-IP connection rate; each event is validated, handed to the conversation
 * service and acked. Every socket of a visitor joins `visitor:<id>`, where bus events land.
 */
import type { Namespace, Server, Socket } from 'socket.io';
import { AppError, type ErrorCode } from '../../shared/errors.ts';
import type { Site } from '../../shared/site.ts';
import { VisitorHandshake, VisitorPayloads, type VisitorAcks } from '../../shared/visitor-events.ts';
import type { ConversationService } from '../conversation/service.ts';
import { clientAddress, type TrustProxy } from '../http/client-address.ts';
import type { Logger } from '../logger.ts';
import type { Visitor } from '../store/visitors.ts';
import { handle, INTERNAL, splitArgs } from './handle.ts';
import { originAllowed } from './origins.ts';
import { localRateLimits, type RateLimitBackend } from '../cluster/rate-limit.ts';
import { createRateLimiter, type RateLimits } from './rate-limit.ts';

export interface VisitorNamespaceDeps {
  service: ConversationService;
  sites: { getByKey(key: string): Promise<Site | null> };
  log: Logger;
  limits: RateLimits;
  /** where the buckets live: Redis when several instances share them, else this process (default) */
  rateLimits?: RateLimitBackend;
  trustProxy: TrustProxy;
  /** replies sent to visitors (respond/widget-replies.ts): unread lines on hello, read receipts */
  replies?: {
    hello(site: Site, visitor: Visitor, ack: VisitorAcks['session:hello']): Promise<VisitorAcks['session:hello']>;
    markRead(visitorId: string, conversationId: string, seq: number): object | Promise<object>;
  };
}

interface Session {
  siteKey: string;
  token: string | undefined;
  visitor: Visitor | null;
  ip: string;
  /** from session:hello, kept with conversations started on this socket */
  pageUrl?: string;
}

export const visitorRoom = (visitorId: string) => `visitor:${visitorId}`;

function refuse(code: ErrorCode, message: string, extra: { retryAfterMs?: number } = {}): Error {
  // socket.io hands err.message and err.data to the client's connect_error
  return Object.assign(new Error(message), { data: { code, ...extra } });
}

/** the client's address: the socket peer, or what the trusted proxies say (never the client's own claim) */
export function clientIp(address: string, headers: Record<string, string | string[] | undefined>, trustProxy: TrustProxy): string {
  return clientAddress(address, headers, trustProxy);
}

/** the page's origin; same-origin polling requests may carry none, then the Host stands in */
export function requestOrigin(headers: Record<string, string | string[] | undefined>, secure: boolean): string | null {
  const origin = headers.origin;
  // "null" is a sandboxed or file:// page: it names no origin we could allow
  if (origin === 'null') return null;
  if (typeof origin === 'string') return origin;
  const host = headers.host;
  return typeof host === 'string' ? `${secure ? 'https' : 'http'}://${host}` : null;
}

export function registerVisitorNamespace(io: Server, deps: VisitorNamespaceDeps): Namespace {
  const { service, sites, log } = deps;
  const nsp = io.of('/visitor');
  const sessions = new WeakMap<Socket, Session>();
  // addresses and visitors move between instances: their buckets are shared (one round trip per
  // check); a socket lives on one instance, so its event budget stays in memory
  const buckets = deps.rateLimits ?? localRateLimits();
  const connections = buckets.limiter('visitor-connections-ip', deps.limits.connectionsPerIp);
  const perVisitor = buckets.limiter('visitor-messages', deps.limits.messagesPerVisitor);
  const perIp = buckets.limiter('visitor-messages-ip', deps.limits.messagesPerIp);
  const startsPerVisitor = buckets.limiter('visitor-starts', deps.limits.startsPerVisitor);
  const startsPerIp = buckets.limiter('visitor-starts-ip', deps.limits.startsPerIp);
  const perSocket = createRateLimiter(deps.limits.eventsPerSocket);

  nsp.use((socket, next) => void admit(socket).then(next, (err: unknown) => {
    deps.log.error({ err }, 'visitor handshake failed');
    next(refuse('internal', 'Something went wrong on our side.'));
  }));
  /** the handshake's checks; resolves with the refusal, or undefined to let the socket in */
  async function admit(socket: Socket): Promise<Error | undefined> {
    const ip = clientIp(socket.handshake.address, socket.handshake.headers, deps.trustProxy);
    const conn = await connections.take(ip);
    if (!conn.ok) return refuse('rate_limited', 'Too many connections; try again shortly.', { retryAfterMs: conn.retryAfterMs });
    const auth = VisitorHandshake.safeParse(socket.handshake.auth);
    if (!auth.success) return refuse('invalid_payload', 'The handshake needs { siteKey, visitorToken? }.');
    const site = await sites.getByKey(auth.data.siteKey);
    if (!site) return refuse('unknown_site', `No site with key "${auth.data.siteKey}".`);
    const origin = requestOrigin(socket.handshake.headers, socket.handshake.secure);
    if (!origin || !originAllowed(origin, site.allowedOrigins)) {
      return refuse('origin_not_allowed', `This site does not accept chats from ${origin ?? 'an unknown origin'}.`);
    }
    const visitor = auth.data.visitorToken ? await service.visitorByToken(site, auth.data.visitorToken) : null;
    sessions.set(socket, { siteKey: site.key, token: auth.data.visitorToken, visitor, ip });
    return undefined;
  }

  nsp.on('connection', (socket) => {
    const session = sessions.get(socket);
    if (!session) return void socket.disconnect(true);
    if (session.visitor) void socket.join(visitorRoom(session.visitor.id));

    socket.use((packet, next) => {
      const take = perSocket.take(socket.id);
      if (take.ok) return next();
      const { ack } = splitArgs(packet.slice(1));
      ack(new AppError('rate_limited', 'Too many requests; slow down.', { retryAfterMs: take.retryAfterMs }).toAck());
    });

    // the site is looked up per event (cached) so settings changes and deletions apply at once
    const currentSite = async (): Promise<Site> => {
      const site = await sites.getByKey(session.siteKey);
      if (!site) throw new AppError('unknown_site', 'This site no longer exists.');
      return site;
    };
    const who = async (): Promise<{ site: Site; visitor: Visitor }> => {
      const site = await currentSite();
      if (!session.visitor) throw new AppError('invalid_token', 'Send session:hello first.');
      return { site, visitor: session.visitor };
    };
    const P = VisitorPayloads;

    socket.on('session:hello', handle('session:hello', P['session:hello'], async (p) => {
      const site = await currentSite();
      const { ack, visitor } = await service.hello(site, session.token, p);
      if (session.visitor && session.visitor.id !== visitor.id) void socket.leave(visitorRoom(session.visitor.id));
      session.visitor = visitor;
      session.token = ack.visitorToken;
      if (p.pageUrl !== undefined) session.pageUrl = p.pageUrl;
      void socket.join(visitorRoom(visitor.id));
      return deps.replies ? deps.replies.hello(site, visitor, ack) : ack;
    }, log));
    socket.on('conversation:start', handle('conversation:start', P['conversation:start'], async (p) => {
      const { site, visitor } = await who();
      const admitNew = async () => {
        const take = await buckets.takeAll([
          { limiter: startsPerVisitor, key: visitor.id },
          { limiter: startsPerIp, key: session.ip },
        ]);
        if (!take.ok) throw new AppError('rate_limited', 'Too many new conversations; please wait a moment.', { retryAfterMs: take.retryAfterMs });
      };
      return service.start(site, visitor, session.pageUrl === undefined ? p : { ...p, pageUrl: session.pageUrl }, admitNew);
    }, log));
    socket.on('message:send', handle('message:send', P['message:send'], async (p) => {
      const { site, visitor } = await who();
      const take = await buckets.takeAll([
        { limiter: perVisitor, key: visitor.id },
        { limiter: perIp, key: session.ip },
      ]);
      if (!take.ok) throw new AppError('rate_limited', 'You are sending messages too fast; please wait a moment.', { retryAfterMs: take.retryAfterMs });
      return service.sendVisitorMessage(site, visitor, p, socket.id);
    }, log));
    socket.on('messages:since', handle('messages:since', P['messages:since'], async (p) => {
      const { site, visitor } = await who();
      return service.messagesSince(site, visitor, p);
    }, log));
    socket.on('conversation:end', handle('conversation:end', P['conversation:end'], async (p) => {
      const { site, visitor } = await who();
      return service.endByVisitor(site, visitor, p);
    }, log));
    socket.on('visitor:identify', handle('visitor:identify', P['visitor:identify'], async (p) => {
      const { site, visitor } = await who();
      const res = await service.identify(site, visitor, p);
      session.visitor = { ...visitor, externalId: p.id, verified: res.verified };
      return res;
    }, log));
    socket.on('visitor:typing', handle('visitor:typing', P['visitor:typing'], async (p) => {
      const { site, visitor } = await who();
      return service.visitorTyping(site, visitor, p);
    }, log));

    socket.on('messages:read', handle('messages:read', P['messages:read'], async (p) => {
      const { visitor } = await who();
      if (!deps.replies) return {};
      return deps.replies.markRead(visitor.id, p.conversationId, p.seq);
    }, log));

    // an event nobody listens for still gets an answer instead of a client waiting forever
    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (typeof event === 'string' && Object.hasOwn(VisitorPayloads, event)) return;
      const { ack } = splitArgs(args);
      try {
        ack(new AppError('invalid_payload', `Unknown event "${String(event)}".`).toAck());
      } catch {
        ack(INTERNAL);
      }
    });
  });
  return nsp;
}

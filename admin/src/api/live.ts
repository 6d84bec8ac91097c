/**
 * The /admin socket.io namespace: follow a site's ongoing conversations, watch one, take over,
 * hand back and write as a person. Components talk to the LiveClient interface so tests can
 * pass a fake.
 */
import { io, type Socket } from 'socket.io-client';
import type { AdminAcks, AdminClientEvents, AdminServerEvents } from '../../../shared/admin-api.ts';
import type { ConversationView, EndReason } from '../../../shared/conversation.ts';
import type { Ack } from '../../../shared/errors.ts';
import type { Message } from '../../../shared/message.ts';
import { ApiError } from './http.ts';

/** A fact about a conversation, as the admin namespace announces it. */
export type LiveEvent =
  | { type: 'started' | 'updated'; siteId: string; conversationId: string; conversation: ConversationView }
  | { type: 'ended'; siteId: string; conversationId: string; reason: EndReason }
  | { type: 'message'; siteId: string; conversationId: string; message: Message }
  | { type: 'handoff'; siteId: string; conversationId: string }
  | { type: 'typing'; siteId: string; conversationId: string; author: 'bot' | 'agent' | 'visitor'; typing: boolean }
  /** a follow-up opened, changed or closed: counts and the inbox refresh */
  | { type: 'follow-ups'; siteId: string; conversationId: string };

export type LiveHandler = (e: LiveEvent) => void;

export interface LiveClient {
  /** every event of a site's conversations; the promise holds the ones open right now */
  subscribeSite(siteId: string, handler: LiveHandler): () => void;
  /** one conversation's messages, typing and state */
  watch(conversationId: string, handler: LiveHandler): () => void;
  takeOver(conversationId: string): Promise<ConversationView>;
  handBack(conversationId: string): Promise<ConversationView>;
  send(conversationId: string, text: string): Promise<Message>;
  sendCanned(conversationId: string, cannedId: number): Promise<Message>;
  /** tell the visitor's widget a person is typing (fire and forget) */
  typing(conversationId: string, typing: boolean): void;
  /** the server closed the session (logout elsewhere, expiry) */
  onSessionEnded(fn: () => void): () => void;
  close(): void;
}

type AdminSocket = Socket<AdminServerEvents, AdminClientEvents>;
type EventName = keyof AdminAcks;

export function newClientId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Reference-counted rooms: one join per site or conversation however many screens listen. */
class Rooms {
  private readonly handlers = new Map<string, Set<LiveHandler>>();
  constructor(private readonly join: (key: string) => void, private readonly leave: (key: string) => void) {}
  add(key: string, handler: LiveHandler): () => void {
    let set = this.handlers.get(key);
    if (!set) {
      set = new Set();
      this.handlers.set(key, set);
      this.join(key);
    }
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size === 0 && this.handlers.get(key) === set) {
        this.handlers.delete(key);
        this.leave(key);
      }
    };
  }
  emit(key: string, e: LiveEvent): void {
    for (const h of this.handlers.get(key) ?? []) h(e);
  }
  rejoinAll(): void {
    for (const key of this.handlers.keys()) this.join(key);
  }
}

export function createLiveClient(url = '/admin'): LiveClient {
  const socket: AdminSocket = io(url, { withCredentials: true });
  const noop = () => undefined;
  const sites = new Rooms(
    (siteId) => socket.emit('site:subscribe', { siteId }, noop),
    (siteId) => socket.emit('site:unsubscribe', { siteId }, noop),
  );
  const watched = new Rooms(
    (conversationId) => socket.emit('conversation:watch', { conversationId }, noop),
    (conversationId) => socket.emit('conversation:unwatch', { conversationId }, noop),
  );
  // a message reaches a site subscriber and a watcher of its conversation; deliver it once to each
  const fanOut = (e: LiveEvent) => {
    sites.emit(e.siteId, e);
    watched.emit(e.conversationId, e);
  };

  // a reconnect lands in a fresh server-side socket: join the rooms again
  socket.io.on('reconnect', () => {
    sites.rejoinAll();
    watched.rejoinAll();
  });
  socket.on('conversation:started', (e) => fanOut({ type: 'started', ...e }));
  socket.on('conversation:updated', (e) => fanOut({ type: 'updated', ...e }));
  socket.on('conversation:ended', (e) => fanOut({ type: 'ended', ...e }));
  socket.on('message:created', (e) => fanOut({ type: 'message', ...e }));
  socket.on('handoff:requested', (e) => fanOut({ type: 'handoff', ...e }));
  socket.on('typing:changed', (e) => fanOut({ type: 'typing', ...e }));
  socket.on('follow-ups:changed', (e) => fanOut({ type: 'follow-ups', ...e }));
  const sessionEnded = new Set<() => void>();
  socket.on('session:ended', () => {
    for (const fn of sessionEnded) fn();
  });

  function call<K extends EventName>(event: K, payload: Parameters<AdminClientEvents[K]>[0]): Promise<AdminAcks[K]> {
    return new Promise((resolve, reject) => {
      const onAck = (err: Error | null, res: Ack<AdminAcks[K]>) => {
        if (err) return reject(new ApiError('network', 'The live connection did not answer. Try again.', 0));
        if (!res.ok) return reject(new ApiError(res.error.code, res.error.message, 0));
        resolve(res);
      };
      // socket.io's typed emit cannot follow a generic event name; the payload type is checked above
      (socket.timeout(10_000).emit as (ev: string, p: unknown, cb: typeof onAck) => void)(event, payload, onAck);
    });
  }

  return {
    subscribeSite: (siteId, handler) => sites.add(siteId, handler),
    watch: (conversationId, handler) => watched.add(conversationId, handler),
    takeOver: async (conversationId) => (await call('conversation:take-over', { conversationId })).conversation,
    handBack: async (conversationId) => (await call('conversation:hand-back', { conversationId })).conversation,
    send: async (conversationId, text) => (await call('message:send', { conversationId, text, clientId: newClientId() })).message,
    sendCanned: async (conversationId, cannedId) =>
      (await call('canned:send', { conversationId, cannedId, clientId: newClientId() })).message,
    typing: (conversationId, typing) => socket.emit('agent:typing', { conversationId, typing }, noop),
    onSessionEnded(fn) {
      sessionEnded.add(fn);
      return () => sessionEnded.delete(fn);
    },
    close: () => socket.close(),
  };
}

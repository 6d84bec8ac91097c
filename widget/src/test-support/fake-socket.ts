/**
 * A scripted stand-in for the server side of the /visitor namespace, injected into the
 * connection module. Records every request; answers them with the responders below (or holds
 * them, to test "sending" and dropped connections).
 */
import type { Ack } from '../../../shared/errors.ts';
import type { ConversationView } from '../../../shared/conversation.ts';
import type { Message } from '../../../shared/message.ts';
import type { PublicSiteSettings } from '../../../shared/site.ts';
import type { VisitorAcks, VisitorPayloads, VisitorServerEvents } from '../../../shared/visitor-events.ts';
import type { SocketLike } from '../panel/connection/socket-like.ts';

type Responder<E extends keyof VisitorAcks> = (payload: VisitorPayloads[E]) => Ack<VisitorAcks[E]> | 'hang' | Promise<Ack<VisitorAcks[E]>>;
type Responders = { [E in keyof VisitorAcks]?: Responder<E> };

export const site = (over: Partial<PublicSiteSettings> = {}): PublicSiteSettings => ({
  name: 'Acme',
  color: '#4f46e5',
  position: 'bottom-right',
  locale: 'en',
  strings: {},
  humansAvailable: true,
  humansBackAt: null,
  ...over,
});

export const conversationView = (over: Partial<ConversationView> = {}): ConversationView => ({
  id: 'c1',
  flowId: 'nps',
  status: 'open',
  mode: 'bot',
  agentName: null,
  startedAt: 1,
  endedAt: null,
  endReason: null,
  ...over,
});

let nextId = 100;
export const message = (over: Partial<Message> & Pick<Message, 'seq' | 'text'>): Message => ({
  id: nextId++,
  conversationId: 'c1',
  clientId: null,
  author: 'bot',
  authorName: null,
  reply: null,
  createdAt: 1,
  ...over,
});

export interface Request {
  event: keyof VisitorAcks;
  payload: unknown;
  resolve: (ack: unknown) => void;
  reject: (err: Error) => void;
}

export class FakeSocket implements SocketLike {
  auth: SocketLike['auth'];
  connected = false;
  active = false;
  /** false: connect() does nothing, as if the network were down */
  online = true;
  requests: Request[] = [];
  handlers = new Map<string, ((...args: never[]) => void)[]>();
  responders: Responders;
  seq = 1;

  constructor(auth: SocketLike['auth'], opts: { conversation?: ConversationView | null; messages?: Message[]; site?: PublicSiteSettings } = {}) {
    this.auth = auth;
    const conv = opts.conversation === undefined ? conversationView() : opts.conversation;
    const messages = opts.messages ?? [];
    this.seq = messages.length + 1;
    this.responders = {
      'session:hello': () => ({ ok: true, visitorToken: 'token-0123456789abcdef', visitorId: 'v1', verified: false, site: opts.site ?? site(), conversation: conv, messages }),
      'conversation:start': (p) => ({ ok: true, conversation: conversationView({ id: p.restart ? 'c2' : 'c1', flowId: p.flowId ?? null }), messages: [] }),
      'message:send': (p) => ({
        ok: true,
        duplicate: false,
        message: message({ conversationId: p.conversationId, seq: this.seq++, author: 'visitor', text: p.text, clientId: p.clientId }),
      }),
      'messages:since': () => ({ ok: true, messages: [] }),
      'visitor:identify': () => ({ ok: true, verified: true }),
    };
  }

  on(event: string, fn: (...args: never[]) => void): void {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
  }

  /** what the server pushes */
  push<E extends keyof VisitorServerEvents>(event: E, ...args: Parameters<VisitorServerEvents[E]>): void {
    this.fire(event, ...args);
  }

  private fire(event: string, ...args: unknown[]) {
    for (const fn of this.handlers.get(event) ?? []) (fn as (...a: unknown[]) => void)(...args);
  }

  connect(): void {
    if (!this.online || this.connected) return;
    this.connected = true;
    this.active = true;
    this.fire('connect');
  }

  disconnect(): void {
    if (!this.connected) return;
    this.connected = false;
    this.active = false;
    this.fire('disconnect', 'io client disconnect');
  }

  /** the network drops: pending requests never get their ack */
  drop(): void {
    this.connected = false;
    this.online = false;
    this.fire('disconnect', 'transport close');
  }

  /** the server refuses the handshake (socket.io then stops retrying by itself) */
  refuse(code: string, retryAfterMs?: number): void {
    this.connected = false;
    this.active = false;
    this.fire('connect_error', Object.assign(new Error(code), { data: { code, retryAfterMs } }));
  }

  /** the network is back and socket.io reconnects */
  restore(): void {
    this.online = true;
    this.connect();
  }

  request<E extends keyof VisitorAcks>(event: E, payload: VisitorPayloads[E]): Promise<Ack<VisitorAcks[E]>> {
    return new Promise((resolve, reject) => {
      const req: Request = { event, payload, resolve: resolve as (ack: unknown) => void, reject };
      this.requests.push(req);
      const responder = this.responders[event] as Responder<E> | undefined;
      const answer = responder ? responder(payload) : ({ ok: true } as Ack<VisitorAcks[E]>);
      if (answer instanceof Promise) void answer.then(resolve);
      else if (answer !== 'hang') void Promise.resolve(answer).then(resolve);
    });
  }

  sent(event: keyof VisitorAcks): Request[] {
    return this.requests.filter((r) => r.event === event);
  }
}

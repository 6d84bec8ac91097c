import type { Identity, IdentifyResult, EmbedConfig } from '../../bridge.ts';
import type { ConversationView } from '../../../../shared/conversation.ts';
import type { Ack, AckError } from '../../../../shared/errors.ts';
import type { Message } from '../../../../shared/message.ts';
import type { PublicSiteSettings } from '../../../../shared/site.ts';
import type { CreatedMessage, VisitorAcks } from '../../../../shared/visitor-events.ts';
import { openKey, readItem, tokenKey, WATCHING, writeItem } from '../../storage.ts';
import type { Action, Banner } from '../state/types.ts';
import { createCaller } from './caller.ts';
import { createOutbox } from './outbox.ts';
import type { SocketLike } from './socket-like.ts';

export interface ConnectionEvents {
  /** a message that is new to this page (not the transcript loaded at start) */
  message(message: Message): void;
  ended(conversation: ConversationView | null, reason: string): void;
  site(site: PublicSiteSettings): void;
}

export interface ConnectionDeps {
  config: EmbedConfig;
  lang: string;
  createSocket(base: string, auth: SocketLike['auth']): SocketLike;
  dispatch(action: Action): void;
  events: ConnectionEvents;
  ackTimeoutMs?: number;
}

export interface Connection {
  connect(): void;
  disconnect(): void;
  /** the panel became visible: a conversation starts if none is under way */
  setOpen(open: boolean): void;
  send(text: string, value?: string | string[]): void;
  /** resend failed messages (same client ids, same order) */
  retry(): void;
  start(flowId?: string, restart?: boolean): Promise<void>;
  /** whether the visitor is typing (a person who took over sees it); repeats are not sent */
  typing(active: boolean): void;
  identify(identity: Identity): Promise<IdentifyResult>;
}

const UNAVAILABLE: readonly string[] = ['unknown_site', 'origin_not_allowed'];
const RECONNECT_AFTER_REFUSAL_MS = 5000;

function bannerFor(code: string): Banner {
  if (code === 'rate_limited') return { kind: 'rateLimited' };
  if (code === 'message_too_long') return { kind: 'tooLong' };
  return { kind: 'genericError' };
}

/**
 * The visitor's session with the server: handshake and token, the conversation and its
 * transcript, catch-up after reconnects, identify; the outbox sends the visitor's messages.
 */
export function createConnection(deps: ConnectionDeps): Connection {
  const { config, dispatch, events } = deps;
  const siteKey = config.siteKey;
  const socket = deps.createSocket(config.base, { siteKey, visitorToken: readItem(tokenKey(siteKey)) ?? undefined });
  const { call, dropAll } = createCaller(socket, deps.ackTimeoutMs ?? 10_000);

  let conversation: ConversationView | null = null;
  /** where new messages go; cached so messages typed offline after a reload know their conversation */
  const stored = readItem(openKey(siteKey));
  let openId: string | null = stored === WATCHING ? null : stored;
  /** a reply to an ended conversation may still come: keep loading the panel on every page */
  let watching = stored === WATCHING;
  /** a reply arrived that the visitor has not seen in the open panel yet */
  let unseen = false;
  let lastSeq = 0;
  let ready = false;
  let generation = 0;
  let panelOpen = false;
  let startRequested = false;
  let flowId = config.flowId;
  let starting: Promise<void> | null = null;
  let identity: Identity | null = null;
  let identifyWaiters: ((r: IdentifyResult) => void)[] = [];
  let typingSent = false;
  const seen = new Set<number>();
  /** messages already reported as new on this page (a reconnect must not count them twice) */
  const reported = new Set<number>();
  /** a conversation that ended for inactivity, shown open because a queued message will reopen it */
  let reopening: string | null = null;

  const showError = (error: AckError['error']) => {
    if (UNAVAILABLE.includes(error.code)) dispatch({ type: 'status', status: 'unavailable' });
    else dispatch({ type: 'banner', banner: bannerFor(error.code) });
  };

  const outbox = createOutbox({
    siteKey,
    dispatch,
    call,
    canSend: () => ready && socket.connected,
    openId: () => openId,
    accepted(message) {
      if (message.conversationId === reopening) reopening = null;
      dispatch({ type: 'banner', banner: null });
      accept([message], true);
    },
    refused(error, conversationId) {
      showError(error);
      // it did not reopen after all: now it has ended, for the reason the server gave at hello
      if (error.code === 'conversation_ended') markEnded(conversationId, conversationId === reopening ? 'idle' : 'completed');
    },
  });

  const remember = () => writeItem(openKey(siteKey), openId ?? (watching ? WATCHING : null));

  /** tell the server the visitor saw the replies (the panel is open on their conversation) */
  function markSeen() {
    if (!unseen || !panelOpen || !ready || !conversation) return;
    unseen = false;
    call('messages:read', { conversationId: conversation.id, seq: lastSeq }).catch(() => (unseen = true));
  }

  function accept(messages: CreatedMessage[], notify: boolean) {
    if (!messages.length) return;
    for (const m of messages) {
      if (m.conversationId === openId || m.conversationId === conversation?.id) lastSeq = Math.max(lastSeq, m.seq);
      if (m.author === 'agent' && m.conversationId === conversation?.id) unseen = true;
      if (m.clientId) outbox.remove(m.clientId);
    }
    dispatch({ type: 'messages', messages });
    for (const m of messages) {
      if (seen.has(m.id)) continue;
      seen.add(m.id);
      if (notify && !reported.has(m.id)) {
        reported.add(m.id);
        events.message(m);
      }
    }
    markSeen();
  }

  function setConversation(c: ConversationView | null, messages: Message[]) {
    conversation = c;
    openId = c && c.status === 'open' ? c.id : null;
    remember();
    lastSeq = 0;
    for (const m of messages) {
      seen.add(m.id);
      lastSeq = Math.max(lastSeq, m.seq);
    }
    dispatch({ type: 'conversation', conversation: c, messages });
  }

  function markEnded(conversationId: string, reason: string) {
    if (!conversation || conversation.id !== conversationId || conversation.status === 'ended') return;
    conversation = { ...conversation, status: 'ended' };
    if (openId === conversationId) {
      openId = null;
      // until the server says otherwise (next hello), a reply to it may come
      watching = true;
      remember();
    }
    dispatch({ type: 'ended', conversationId });
    events.ended(conversation, reason);
  }

  async function sendIdentify() {
    if (!identity || !identifyWaiters.length) return;
    const waiters = identifyWaiters;
    identifyWaiters = [];
    let result: IdentifyResult;
    try {
      const res = await call('visitor:identify', identity);
      result = res.ok ? { verified: res.verified } : { verified: false, error: res.error };
    } catch {
      // not answered: try again on the next connection
      identifyWaiters.push(...waiters);
      return;
    }
    for (const w of waiters) w(result);
  }

  function start(flow = flowId, restart = false): Promise<void> {
    flowId = flow;
    if (!ready) {
      startRequested = true;
      return Promise.resolve();
    }
    starting ??= (async () => {
      try {
        const res = await call('conversation:start', { flowId: flow, restart });
        if (!res.ok) return showError(res.error);
        dispatch({ type: 'banner', banner: null });
        setConversation(res.conversation, res.messages);
        void outbox.flush();
      } catch {
        // dropped: the next connection starts it
        startRequested = true;
      } finally {
        starting = null;
      }
    })();
    return starting;
  }

  /** after a reconnect to the same conversation: only what was missed */
  async function catchUp(c: ConversationView): Promise<boolean> {
    conversation = c;
    dispatch({ type: 'updated', conversation: c });
    try {
      const since = await call('messages:since', { conversationId: c.id, afterSeq: lastSeq });
      if (since.ok) accept(since.messages, true);
      return true;
    } catch {
      return false; // dropped again; the next connect repeats this
    }
  }

  async function onConnect() {
    const gen = ++generation;
    ready = false;
    typingSent = false;
    let hello: Ack<VisitorAcks['session:hello']>;
    try {
      hello = await call('session:hello', { locale: deps.lang });
    } catch {
      if (gen === generation && socket.connected) {
        socket.disconnect();
        socket.connect();
      }
      return;
    }
    if (gen !== generation) return;
    if (!hello.ok) return hello.error.code === 'invalid_token' ? forgetToken() : showError(hello.error);
    writeItem(tokenKey(siteKey), hello.visitorToken);
    socket.auth = { siteKey, visitorToken: hello.visitorToken };
    dispatch({ type: 'site', site: hello.site });
    events.site(hello.site);

    // the latest conversation, open or recently ended: an ended one is shown as it was, with the
    // offer to start anew, and never replaced by a new conversation unasked. One that only timed
    // out while messages for it wait in the outbox is shown open: the server reopens it for the
    // visitor's message, so neither the panel nor the host page sees an end that is undone at
    // once (a refusal ends it then).
    const told = hello.conversation;
    const held = told?.status === 'ended' && told.endReason === 'idle' && outbox.holds(told.id) ? told : null;
    reopening = held?.id ?? null;
    // shown open: what the visitor types next goes there too (the server takes it the same way)
    if (held) openId = held.id;
    const c = held ? { ...held, status: 'open' as const, endedAt: null, endReason: null } : told;
    if (c && conversation?.id === c.id) {
      if (c.status === 'ended') markEnded(c.id, c.endReason ?? 'completed');
      if (!(await catchUp(c))) return;
    } else if (c && (c.status === 'open' || conversation?.status !== 'open')) setConversation(c, hello.messages);
    else if (conversation?.status === 'open') markEnded(conversation.id, 'idle');
    else if (openId) openId = null;
    watching = hello.awaiting ?? false;
    remember();
    // replies sent while the visitor was away: shown as new (the badge counts them) until seen
    const unread = new Set(hello.unread ?? []);
    if (unread.size && c) {
      for (const m of hello.messages) {
        if (!unread.has(m.seq) || reported.has(m.id)) continue;
        reported.add(m.id);
        events.message(m);
      }
      unseen = true;
    }

    ready = true;
    dispatch({ type: 'status', status: 'online' });
    markSeen();
    void sendIdentify();
    if (startRequested || (panelOpen && !conversation)) {
      startRequested = false;
      await start(flowId, false);
    }
    outbox.retry();
  }

  function forgetToken() {
    writeItem(tokenKey(siteKey), null);
    socket.auth = { siteKey };
    socket.disconnect();
    socket.connect();
  }

  socket.on('connect', () => void onConnect());
  socket.on('disconnect', (reason) => {
    ready = false;
    dropAll();
    if (reason === 'io client disconnect') return;
    dispatch({ type: 'status', status: 'offline' });
    // the server closed us on purpose (e.g. a restart): socket.io does not retry by itself then
    if (reason === 'io server disconnect') socket.connect();
  });
  socket.on('connect_error', (err) => {
    const code = err.data?.code ?? err.message;
    if (code === 'invalid_token') return forgetToken();
    if (UNAVAILABLE.includes(code)) return dispatch({ type: 'status', status: 'unavailable' });
    dispatch({ type: 'status', status: 'offline' });
    if (code === 'rate_limited') dispatch({ type: 'banner', banner: { kind: 'rateLimited' } });
    // refused by the server (not a network error): socket.io will not retry on its own
    if (!socket.active) setTimeout(() => socket.connect(), err.data?.retryAfterMs ?? RECONNECT_AFTER_REFUSAL_MS);
  });
  socket.on('message:created', (m) => accept([m], true));
  socket.on('message:delta', (d) => dispatch({ type: 'delta', ...d }));
  socket.on('typing:changed', (t) => dispatch({ type: 'typing', ...t }));
  socket.on('conversation:updated', (c) => {
    if (conversation?.id !== c.id) return;
    if (c.status === 'ended') return markEnded(c.id, c.endReason ?? 'completed');
    // open again (the visitor's reply reached it after it timed out): new messages go there
    if (openId !== c.id) {
      openId = c.id;
      watching = false;
      remember();
    }
    conversation = c;
    dispatch({ type: 'updated', conversation: c });
  });
  socket.on('conversation:ended', (e) => markEnded(e.conversationId, e.reason));

  return {
    connect: () => socket.connect(),
    disconnect: () => socket.disconnect(),
    setOpen(open) {
      panelOpen = open;
      if (open && ready && !conversation) void start();
      markSeen();
    },
    send(text, value) {
      dispatch({ type: 'banner', banner: null });
      outbox.add(text, value, openId);
    },
    retry: () => outbox.retry(),
    start,
    typing(active) {
      if (active === typingSent || !ready || !openId) return;
      typingSent = active;
      // best effort: a lost typing signal is harmless
      call('visitor:typing', { conversationId: openId, typing: active }).catch(() => {});
    },
    identify(next) {
      identity = next;
      return new Promise((resolve) => {
        identifyWaiters.push(resolve);
        if (ready) void sendIdentify();
      });
    },
  };
}

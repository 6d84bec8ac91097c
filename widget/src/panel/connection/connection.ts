import type { Identity, IdentifyResult, EmbedConfig } from '../../bridge.ts';
import type { ConversationView } from '../../../../shared/conversation.ts';
import type { Ack, AckError, ErrorCode } from '../../../../shared/errors.ts';
import type { Message } from '../../../../shared/message.ts';
import type { PublicSiteSettings } from '../../../../shared/site.ts';
import type { CreatedMessage, VisitorAcks, VisitorPayloads } from '../../../../shared/visitor-events.ts';
import { openKey, readItem, tokenKey, writeItem } from '../../storage.ts';
import type { Action, Banner, OutboxEntry } from '../state/types.ts';
import { newClientId } from './client-id.ts';
import { loadOutbox, saveOutbox } from './outbox-store.ts';
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

/** Errors after which resending the same message can never succeed. */
const FINAL_ERRORS: readonly ErrorCode[] = ['message_too_long', 'invalid_payload', 'conversation_ended', 'not_found'];
const UNAVAILABLE: readonly string[] = ['unknown_site', 'origin_not_allowed'];
const RECONNECT_AFTER_REFUSAL_MS = 5000;

function bannerFor(code: string): Banner {
  if (code === 'rate_limited') return { kind: 'rateLimited' };
  if (code === 'message_too_long') return { kind: 'tooLong' };
  return { kind: 'genericError' };
}

/**
 * The visitor's session with the server: handshake, transcript, outbox (persisted, resent in
 * order with the same client ids after a reconnect or reload), catch-up after reconnects.
 */
export function createConnection(deps: ConnectionDeps): Connection {
  const { config, dispatch, events } = deps;
  const siteKey = config.siteKey;
  const timeoutMs = deps.ackTimeoutMs ?? 10_000;
  const socket = deps.createSocket(config.base, { siteKey, visitorToken: readItem(tokenKey(siteKey)) ?? undefined });

  let outbox: OutboxEntry[] = loadOutbox(siteKey);
  let conversation: ConversationView | null = null;
  /** where new messages go; cached so messages typed offline after a reload know their conversation */
  let openId: string | null = readItem(openKey(siteKey));
  let lastSeq = 0;
  let ready = false;
  let generation = 0;
  let flushing = false;
  let panelOpen = false;
  let startRequested = false;
  let flowId = config.flowId;
  let starting: Promise<void> | null = null;
  let identity: Identity | null = null;
  let identifyWaiters: ((r: IdentifyResult) => void)[] = [];
  let typingSent = false;
  const seen = new Set<number>();
  const inFlight = new Set<(e: Error) => void>();

  /** an ack request that also fails as soon as the connection drops (rather than at its timeout) */
  function call<E extends keyof VisitorAcks>(event: E, payload: VisitorPayloads[E]): Promise<Ack<VisitorAcks[E]>> {
    return new Promise((resolve, reject) => {
      const drop = (e: Error) => reject(e);
      inFlight.add(drop);
      socket.request(event, payload, timeoutMs).then(
        (res) => {
          inFlight.delete(drop);
          resolve(res);
        },
        (err: unknown) => {
          inFlight.delete(drop);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }

  const publishOutbox = () => {
    saveOutbox(siteKey, outbox);
    dispatch({ type: 'outbox', entries: outbox.slice() });
  };
  const updateEntry = (clientId: string, patch: Partial<OutboxEntry>) => {
    outbox = outbox.map((e) => (e.clientId === clientId ? { ...e, ...patch } : e));
    publishOutbox();
  };
  const removeEntry = (clientId: string) => {
    if (!outbox.some((e) => e.clientId === clientId)) return;
    outbox = outbox.filter((e) => e.clientId !== clientId);
    publishOutbox();
  };
  const showError = (error: AckError['error']) => {
    if (UNAVAILABLE.includes(error.code)) dispatch({ type: 'status', status: 'unavailable' });
    else dispatch({ type: 'banner', banner: bannerFor(error.code) });
  };

  function accept(messages: CreatedMessage[], notify: boolean) {
    if (!messages.length) return;
    for (const m of messages) {
      if (m.conversationId === openId) lastSeq = Math.max(lastSeq, m.seq);
      if (m.clientId) removeEntry(m.clientId);
    }
    dispatch({ type: 'messages', messages });
    for (const m of messages) {
      if (seen.has(m.id)) continue;
      seen.add(m.id);
      if (notify) events.message(m);
    }
  }

  function setConversation(c: ConversationView | null, messages: Message[]) {
    conversation = c;
    openId = c && c.status === 'open' ? c.id : null;
    writeItem(openKey(siteKey), openId);
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
      writeItem(openKey(siteKey), null);
    }
    dispatch({ type: 'ended', conversationId });
    events.ended(conversation, reason);
  }

  async function flush() {
    if (flushing) return;
    flushing = true;
    try {
      while (ready && socket.connected) {
        // strictly in order: a failed message holds back the ones typed after it
        const entry = outbox.find((e) => !e.final);
        if (!entry || entry.status === 'failed') break;
        const conversationId = entry.conversationId ?? openId;
        if (!conversationId) break;
        const payload = { conversationId, clientId: entry.clientId, text: entry.text, value: entry.value };
        let res: Ack<VisitorAcks['message:send']>;
        try {
          res = await call('message:send', payload);
        } catch {
          // dropped connection: it stays queued and goes again (same clientId) after the reconnect
          if (socket.connected) updateEntry(entry.clientId, { status: 'failed', error: 'timeout' });
          break;
        }
        if (res.ok) {
          removeEntry(entry.clientId);
          accept([res.message], true);
          continue;
        }
        const code = res.error.code;
        showError(res.error);
        if (FINAL_ERRORS.includes(code)) {
          updateEntry(entry.clientId, { status: 'failed', error: code, final: true });
          if (code === 'conversation_ended') markEnded(conversationId, 'completed');
          continue;
        }
        updateEntry(entry.clientId, { status: 'failed', error: code });
        if (code === 'rate_limited') setTimeout(retry, res.error.retryAfterMs ?? RECONNECT_AFTER_REFUSAL_MS);
        break;
      }
    } finally {
      flushing = false;
    }
  }

  function retry() {
    let changed = false;
    outbox = outbox.map((e) => {
      if (e.final || e.status !== 'failed') return e;
      changed = true;
      return { ...e, status: 'sending', error: undefined };
    });
    if (changed) publishOutbox();
    void flush();
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
        void flush();
      } catch {
        // dropped: the next connection starts it (startRequested)
        startRequested = true;
      } finally {
        starting = null;
      }
    })();
    return starting;
  }

  async function onConnect() {
    const gen = ++generation;
    ready = false;
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
    if (!hello.ok) {
      if (hello.error.code === 'invalid_token') return forgetToken();
      return showError(hello.error);
    }
    writeItem(tokenKey(siteKey), hello.visitorToken);
    socket.auth = { siteKey, visitorToken: hello.visitorToken };
    dispatch({ type: 'site', site: hello.site });
    events.site(hello.site);

    const c = hello.conversation;
    if (c && c.status === 'open') {
      if (conversation?.id === c.id) {
        // reconnect: fetch only what was missed
        conversation = c;
        dispatch({ type: 'updated', conversation: c });
        try {
          const since = await call('messages:since', { conversationId: c.id, afterSeq: lastSeq });
          if (since.ok) accept(since.messages, true);
        } catch {
          return; // dropped again; the next connect repeats this
        }
      } else setConversation(c, hello.messages);
    } else if (conversation && conversation.status === 'open') {
      markEnded(conversation.id, 'idle');
    } else if (openId) {
      openId = null;
      writeItem(openKey(siteKey), null);
    }

    ready = true;
    dispatch({ type: 'status', status: 'online' });
    void sendIdentify();
    if (startRequested || (panelOpen && !conversation)) {
      startRequested = false;
      await start(flowId, false);
    }
    retry();
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
    for (const drop of [...inFlight]) drop(new Error('disconnected'));
    inFlight.clear();
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
    conversation = c;
    dispatch({ type: 'updated', conversation: c });
  });
  socket.on('conversation:ended', (e) => markEnded(e.conversationId, e.reason));

  publishOutbox();

  return {
    connect: () => socket.connect(),
    disconnect: () => socket.disconnect(),
    setOpen(open) {
      panelOpen = open;
      if (open && ready && !conversation) void start();
    },
    send(text, value) {
      const entry: OutboxEntry = { clientId: newClientId(), conversationId: openId, text, value, status: 'sending' };
      outbox = [...outbox, entry];
      publishOutbox(); // persisted before it is sent: a reload cannot lose it
      dispatch({ type: 'banner', banner: null });
      void flush();
    },
    retry,
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

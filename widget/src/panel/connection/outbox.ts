import type { AckError, ErrorCode } from '../../../../shared/errors.ts';
import type { Message } from '../../../../shared/message.ts';
import type { Action, OutboxEntry } from '../state/types.ts';
import type { Call } from './caller.ts';
import { newClientId } from './client-id.ts';
import { loadOutbox, saveOutbox } from './outbox-store.ts';

/** Errors after which resending the same message can never succeed. */
const FINAL_ERRORS: readonly ErrorCode[] = ['message_too_long', 'invalid_payload', 'conversation_ended', 'not_found'];
const RATE_LIMIT_RETRY_MS = 5000;

export interface OutboxDeps {
  siteKey: string;
  dispatch(action: Action): void;
  call: Call;
  /** connected and past session:hello */
  canSend(): boolean;
  /** the open conversation, for messages typed before one was known (offline after a reload) */
  openId(): string | null;
  accepted(message: Message): void;
  refused(error: AckError['error'], conversationId: string): void;
}

export interface Outbox {
  add(text: string, value: string | string[] | undefined, conversationId: string | null): void;
  /** sends what is queued, strictly in order */
  flush(): Promise<void>;
  /** failed messages go again, same client ids, same order */
  retry(): void;
  /** the server has this message (an ack, or a push after a lost ack) */
  remove(clientId: string): void;
  /** a message for this conversation is still to be sent (queued, or failed and not final) */
  holds(conversationId: string): boolean;
}

/**
 * Visitor messages on their way: persisted before the first attempt, removed only on an ok ack or
 * a final refusal, resent with the same client id (the server dedupes on it).
 */
export function createOutbox(deps: OutboxDeps): Outbox {
  const { siteKey, dispatch } = deps;
  let entries: OutboxEntry[] = loadOutbox(siteKey);
  let flushing = false;

  const publish = () => {
    saveOutbox(siteKey, entries);
    dispatch({ type: 'outbox', entries: entries.slice() });
  };
  const update = (clientId: string, patch: Partial<OutboxEntry>) => {
    entries = entries.map((e) => (e.clientId === clientId ? { ...e, ...patch } : e));
    publish();
  };
  const remove = (clientId: string) => {
    if (!entries.some((e) => e.clientId === clientId)) return;
    entries = entries.filter((e) => e.clientId !== clientId);
    publish();
  };

  async function flush() {
    if (flushing) return;
    flushing = true;
    try {
      while (deps.canSend()) {
        // a failed message holds back the ones typed after it
        const entry = entries.find((e) => !e.final);
        if (!entry || entry.status === 'failed') break;
        const conversationId = entry.conversationId ?? deps.openId();
        if (!conversationId) break;
        let res;
        try {
          res = await deps.call('message:send', { conversationId, clientId: entry.clientId, text: entry.text, value: entry.value });
        } catch {
          // a dropped connection keeps it queued for the reconnect; a timeout while connected asks for a retry
          if (deps.canSend()) update(entry.clientId, { status: 'failed', error: 'timeout' });
          break;
        }
        if (res.ok) {
          remove(entry.clientId);
          deps.accepted(res.message);
          continue;
        }
        const code = res.error.code;
        const final = FINAL_ERRORS.includes(code);
        update(entry.clientId, { status: 'failed', error: code, final });
        deps.refused(res.error, conversationId);
        if (final) continue;
        // the server asked for patience (too fast, or it cannot store right now): the same message goes again
        if (code === 'rate_limited' || code === 'storage_unavailable') setTimeout(retry, res.error.retryAfterMs ?? RATE_LIMIT_RETRY_MS);
        break;
      }
    } finally {
      flushing = false;
    }
  }

  function retry() {
    if (entries.some((e) => e.status === 'failed' && !e.final)) {
      entries = entries.map((e) => (e.final || e.status !== 'failed' ? e : { ...e, status: 'sending', error: undefined }));
      publish();
    }
    void flush();
  }

  publish();
  return {
    add(text, value, conversationId) {
      entries = [...entries, { clientId: newClientId(), conversationId, text, value, status: 'sending' }];
      publish(); // persisted before it is sent: a reload cannot lose it
      void flush();
    },
    flush,
    retry,
    remove,
    holds: (conversationId) => entries.some((e) => !e.final && (e.conversationId ?? deps.openId()) === conversationId),
  };
}

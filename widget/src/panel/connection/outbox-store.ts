import { outboxKey, readItem, writeItem } from '../../storage.ts';
import type { OutboxEntry } from '../state/types.ts';

/** The outbox as kept in localStorage: what must still reach the server, in order. */
export function loadOutbox(siteKey: string): OutboxEntry[] {
  try {
    const raw: unknown = JSON.parse(readItem(outboxKey(siteKey)) ?? '[]');
    if (!Array.isArray(raw)) return [];
    return raw
      .filter((e): e is OutboxEntry => !!e && typeof e.clientId === 'string' && typeof e.text === 'string')
      .map((e) => ({ clientId: e.clientId, conversationId: e.conversationId ?? null, text: e.text, value: e.value, status: 'sending' }));
  } catch {
    return [];
  }
}

export function saveOutbox(siteKey: string, entries: OutboxEntry[]): void {
  const keep = entries.filter((e) => !e.final).map(({ clientId, conversationId, text, value }) => ({ clientId, conversationId, text, value }));
  writeItem(outboxKey(siteKey), keep.length ? JSON.stringify(keep) : null);
}

/** What the conversation service's parts share: storage, the bus, the clock and ending. */
import type { EndReason } from '../../shared/conversation.ts';
import { AppError } from '../../shared/errors.ts';
import type { Message } from '../../shared/message.ts';
import type { Conversation } from '../store/conversations.ts';
import { toView } from '../store/conversations.ts';
import type { Store } from '../store/index.ts';
import type { ConversationBus } from './events.ts';

/** who a conversation is about: all a bus fact needs of it */
export type Party = Pick<Conversation, 'id' | 'siteId' | 'visitorId'>;

export interface ServiceContext {
  store: Store;
  bus: ConversationBus;
  now: () => number;
  /** the conversation, or not_found */
  mustGet(conversationId: string): Promise<Conversation>;
  /** who a bus fact is about */
  scope(c: Party): { siteId: string; visitorId: string | null; conversationId: string };
  emitCreated(c: Party, messages: (Message & { draftId?: string })[]): void;
  /** end with its extract job in one transaction; emits once; false when it was already ended */
  end(conversationId: string, reason: EndReason): Promise<boolean>;
}

export function createServiceContext(store: Store, bus: ConversationBus, now: () => number): ServiceContext {
  const scope: ServiceContext['scope'] = (c) => ({ siteId: c.siteId, visitorId: c.visitorId, conversationId: c.id });

  const mustGet = async (conversationId: string): Promise<Conversation> => {
    const c = await store.conversations.get(conversationId);
    if (!c) throw new AppError('not_found', 'No such conversation.');
    return c;
  };

  return {
    store,
    bus,
    now,
    mustGet,
    scope,
    emitCreated(c, messages) {
      for (const message of messages) bus.emit('message:created', { ...scope(c), message });
    },
    async end(conversationId, reason) {
      const at = now();
      // the ended row is read in the same transaction: what is announced is what was committed
      const ended = await store.tx(async () => {
        if (!(await store.conversations.end(conversationId, reason, at))) return null;
        await store.jobs.enqueue('extract', { conversationId }, { dedupeKey: `extract:${conversationId}` });
        return mustGet(conversationId);
      });
      if (!ended) return false;
      bus.emit('conversation:ended', { ...scope(ended), reason, endedAt: ended.endedAt ?? at });
      bus.emit('conversation:updated', { ...scope(ended), conversation: toView(ended) });
      return true;
    },
  };
}

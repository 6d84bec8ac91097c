/**
 * Replies on the visitor's side of the socket: `session:hello` shows the conversation with a reply
 * the visitor has not seen (however long ago it ended) and says which lines are unread, so the
 * widget shows them with the unread badge on the next page; a due detractor check-in starts its
 * chat here; `messages:read` clears the unread lines.
 */
import { AppError } from '../../shared/errors.ts';
import type { Site } from '../../shared/site.ts';
import type { VisitorAcks } from '../../shared/visitor-events.ts';
import { toView } from '../store/conversations.ts';
import type { Store } from '../store/index.ts';
import type { Visitor } from '../store/visitors.ts';
import type { Playbooks } from './playbooks.ts';

type Hello = VisitorAcks['session:hello'];

/** how long after a conversation ended the widget keeps looking for a reply to it */
export const AWAIT_REPLY_MS = 14 * 24 * 60 * 60 * 1000;

export function createWidgetReplies(store: Store, playbooks: Pick<Playbooks, 'startDueCheckIn'> | null, now: () => number = Date.now) {
  return {
    async hello(site: Site, visitor: Visitor, first: Hello): Promise<Hello> {
      const checkIn = playbooks ? await playbooks.startDueCheckIn(site, visitor, first) : { ack: first, opened: [] };
      let { conversation, messages } = checkIn.ack;
      if (conversation?.status !== 'open') {
        const withReply = await store.replies.latestUnreadConversation(visitor.id);
        const c = withReply && withReply !== conversation?.id ? await store.conversations.get(withReply) : null;
        if (c) {
          conversation = toView(c);
          messages = await store.messages.list(c.id);
        }
      }
      const unread = conversation ? [...new Set([...checkIn.opened, ...(await store.replies.unreadSeqs(conversation.id))])].sort((a, b) => a - b) : [];
      const awaiting = unread.length > 0 || (await store.replies.awaiting(visitor.id, now() - AWAIT_REPLY_MS));
      return { ...checkIn.ack, conversation, messages, unread, awaiting };
    },
    async markRead(visitorId: string, conversationId: string, seq: number): Promise<object> {
      const c = await store.conversations.get(conversationId);
      if (!c || c.visitorId !== visitorId) throw new AppError('not_found', 'No such conversation.');
      await store.replies.markRead(conversationId, seq, now());
      return {};
    },
  };
}
export type WidgetReplies = ReturnType<typeof createWidgetReplies>;

import type { AdminAcks } from '../../shared/admin-api.ts';
import { AppError } from '../../shared/errors.ts';
import type { Message } from '../../shared/message.ts';
import type { Actor } from '../auth/accounts.ts';
import type { ConversationBus } from '../conversation/events.ts';
import type { ConversationService } from '../conversation/service.ts';
import type { Store } from '../store/index.ts';
import { fillPlaceholders } from '../sites/canned.ts';

/** The parts of the conversation service a person answering live needs. */
export type LiveConversations = Pick<ConversationService, 'takeOver' | 'handBack' | 'sendAgentMessage'>;

/**
 * What an agent does in a live chat: watch, take over, answer (typed or canned), hand back.
 * Protocol rules (who may answer, ordering, fan-out) stay in the conversation service.
 */
export function createLiveService(deps: { store: Store; conversations: LiveConversations; bus: ConversationBus }) {
  const { store, conversations, bus } = deps;
  const agentOf = (actor: Actor) => ({ id: actor.id, name: actor.name });

  function summary(conversationId: string) {
    const c = store.admin.reviews.get(conversationId);
    if (!c) throw new AppError('not_found', 'No such conversation.');
    return c;
  }

  function send(conversationId: string, actor: Actor, text: string, clientId: string): { message: Message } {
    return { message: conversations.sendAgentMessage(conversationId, agentOf(actor), text, clientId).message };
  }

  return {
    send,
    siteExists(siteId: string): boolean {
      return store.sites.getById(siteId) !== null;
    },
    openConversations(siteId: string): AdminAcks['site:subscribe'] {
      if (!store.sites.getById(siteId)) throw new AppError('not_found', 'No such site.');
      return { open: store.admin.reviews.openForSite(siteId) };
    },
    watch(conversationId: string): AdminAcks['conversation:watch'] {
      return { conversation: summary(conversationId), messages: store.messages.list(conversationId) };
    },
    takeOver(conversationId: string, actor: Actor): AdminAcks['conversation:take-over'] {
      summary(conversationId);
      return { conversation: conversations.takeOver(conversationId, agentOf(actor)) };
    },
    /** only the agent who took it over, or an owner, gives a chat back to the bot */
    handBack(conversationId: string, actor: Actor): AdminAcks['conversation:hand-back'] {
      summary(conversationId);
      const c = store.conversations.get(conversationId);
      if (c && c.mode === 'human' && c.agentId !== actor.id && actor.role !== 'owner') {
        throw new AppError('forbidden', `${c.agentName ?? 'Another agent'} has taken this conversation over; only they or an owner can hand it back.`);
      }
      return { conversation: conversations.handBack(conversationId, agentOf(actor)) };
    },
    sendCanned(conversationId: string, actor: Actor, cannedId: number, clientId: string): { message: Message } {
      const c = summary(conversationId);
      const canned = store.admin.canned.get(cannedId);
      if (!canned || (canned.siteId !== null && canned.siteId !== c.siteId)) throw new AppError('not_found', 'No such canned response for this site.');
      const site = store.sites.getById(c.siteId);
      const text = fillPlaceholders(canned.text, { visitorName: c.visitorName, agentName: actor.name, siteName: site?.name ?? '' });
      return send(conversationId, actor, text, clientId);
    },
    /** the visitor sees "Ana is typing" only from the person who took the chat over */
    typing(conversationId: string, actor: Actor, typing: boolean): void {
      const c = store.conversations.get(conversationId);
      if (!c) throw new AppError('not_found', 'No such conversation.');
      if (c.status !== 'open' || c.mode !== 'human' || c.agentId !== actor.id) return;
      bus.emit('typing:changed', { siteId: c.siteId, visitorId: c.visitorId, conversationId, author: 'agent', typing });
    },
  };
}
export type LiveService = ReturnType<typeof createLiveService>;

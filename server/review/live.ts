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

  async function summary(conversationId: string) {
    const c = await store.admin.reviews.get(conversationId);
    if (!c) throw new AppError('not_found', 'No such conversation.');
    return c;
  }

  async function send(conversationId: string, actor: Actor, text: string, clientId: string): Promise<{ message: Message }> {
    return { message: (await conversations.sendAgentMessage(conversationId, agentOf(actor), text, clientId)).message };
  }

  return {
    send,
    async siteExists(siteId: string): Promise<boolean> {
      return (await store.sites.getById(siteId)) !== null;
    },
    async openConversations(siteId: string): Promise<AdminAcks['site:subscribe']> {
      if (!(await store.sites.getById(siteId))) throw new AppError('not_found', 'No such site.');
      return { open: await store.admin.reviews.openForSite(siteId) };
    },
    async watch(conversationId: string): Promise<AdminAcks['conversation:watch']> {
      const conversation = await summary(conversationId);
      return { conversation, messages: await store.messages.list(conversationId) };
    },
    async takeOver(conversationId: string, actor: Actor): Promise<AdminAcks['conversation:take-over']> {
      await summary(conversationId);
      return { conversation: await conversations.takeOver(conversationId, agentOf(actor)) };
    },
    /** only the agent who took it over, or an owner, gives a chat back to the bot */
    async handBack(conversationId: string, actor: Actor): Promise<AdminAcks['conversation:hand-back']> {
      await summary(conversationId);
      const c = await store.conversations.get(conversationId);
      if (c && c.mode === 'human' && c.agentId !== actor.id && actor.role !== 'owner') {
        throw new AppError('forbidden', `${c.agentName ?? 'Another agent'} has taken this conversation over; only they or an owner can hand it back.`);
      }
      return { conversation: await conversations.handBack(conversationId, agentOf(actor)) };
    },
    async sendCanned(conversationId: string, actor: Actor, cannedId: number, clientId: string): Promise<{ message: Message }> {
      const c = await summary(conversationId);
      const canned = await store.admin.canned.get(cannedId);
      if (!canned || (canned.siteId !== null && canned.siteId !== c.siteId)) throw new AppError('not_found', 'No such canned response for this site.');
      const site = await store.sites.getById(c.siteId);
      const text = fillPlaceholders(canned.text, { visitorName: c.visitorName, agentName: actor.name, siteName: site?.name ?? '' });
      return send(conversationId, actor, text, clientId);
    },
    /** the visitor sees "Ana is typing" only from the person who took the chat over */
    async typing(conversationId: string, actor: Actor, typing: boolean): Promise<void> {
      const c = await store.conversations.get(conversationId);
      if (!c) throw new AppError('not_found', 'No such conversation.');
      if (c.status !== 'open' || c.mode !== 'human' || c.agentId !== actor.id) return;
      bus.emit('typing:changed', { siteId: c.siteId, visitorId: c.visitorId, conversationId, author: 'agent', typing });
    },
  };
}
export type LiveService = ReturnType<typeof createLiveService>;

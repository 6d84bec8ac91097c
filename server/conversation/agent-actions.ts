/**
 * What a person on the admin side does in a live conversation: take it over (the bot goes
 * quiet), answer, hand it back, close it. Each change posts a system line the visitor sees.
 */
import type { ConversationView } from '../../shared/conversation.ts';
import { AppError, LIMITS } from '../../shared/errors.ts';
import type { Message } from '../../shared/message.ts';
import { toView } from '../store/conversations.ts';
import type { ServiceContext } from './service-context.ts';

export interface Agent {
  id: string;
  name: string;
}

export function createAgentActions(ctx: ServiceContext) {
  const { store, bus } = ctx;

  /** run a mode change in one transaction; when it posted a line, tell everyone once it committed */
  async function changed(conversationId: string, change: () => Promise<Message | null>): Promise<ConversationView> {
    const { created, c } = await store.tx(async () => {
      const created = await change();
      return { created, c: await ctx.mustGet(conversationId) };
    });
    if (created) {
      ctx.emitCreated(c, [created]);
      bus.emit('conversation:updated', { ...ctx.scope(c), conversation: toView(c) });
    }
    return toView(c);
  }

  return {
    /** a person answers from now on; the bot stays quiet until handBack */
    takeOver(conversationId: string, agent: Agent): Promise<ConversationView> {
      return changed(conversationId, async () => {
        const c = await ctx.mustGet(conversationId);
        if (c.status !== 'open') throw new AppError('conversation_ended', 'This conversation has ended.');
        if (c.mode === 'human' && c.agentId !== agent.id) throw new AppError('conflict', `${c.agentName ?? 'Someone'} has already taken over.`);
        if (c.mode === 'human') return null;
        await store.conversations.setMode(c.id, 'human', agent, ctx.now());
        return (await store.messages.append(c.id, { author: 'system', text: `${agent.name} joined the conversation.` }, ctx.now())).message;
      });
    },

    handBack(conversationId: string, agent: Agent): Promise<ConversationView> {
      return changed(conversationId, async () => {
        const c = await ctx.mustGet(conversationId);
        if (c.mode !== 'human') return null;
        await store.conversations.setMode(c.id, 'bot', null, ctx.now());
        if (c.status !== 'open') return null;
        return (await store.messages.append(c.id, { author: 'system', text: `${agent.name} left; the assistant is back.` }, ctx.now())).message;
      });
    },

    /** an agent's message; only while that agent has taken the conversation over */
    async sendAgentMessage(conversationId: string, agent: Agent, text: string, clientId: string): Promise<{ message: Message; duplicate: boolean }> {
      if (text.length > LIMITS.MESSAGE_MAX_CHARS) throw new AppError('message_too_long', `Messages are limited to ${LIMITS.MESSAGE_MAX_CHARS} characters.`);
      // the check and the append in one transaction: a hand-back or an end cannot slip in between
      const { c, res } = await store.tx(async () => {
        const c = await ctx.mustGet(conversationId);
        if (c.status !== 'open') throw new AppError('conversation_ended', 'This conversation has ended.');
        if (c.mode !== 'human' || c.agentId !== agent.id) throw new AppError('conflict', 'Take the conversation over before answering.');
        return { c, res: await store.messages.append(c.id, { author: 'agent', authorName: agent.name, text, clientId }, ctx.now()) };
      });
      if (!res.duplicate) ctx.emitCreated(c, [res.message]);
      return res;
    },

    /** an agent or an owner closes it */
    async endByAgent(conversationId: string): Promise<ConversationView> {
      await ctx.mustGet(conversationId);
      await ctx.end(conversationId, 'agent');
      return toView(await ctx.mustGet(conversationId));
    },
  };
}

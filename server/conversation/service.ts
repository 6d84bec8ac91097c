/**
 * The conversation protocol: ownership checks, committing visitor messages before they are
 * acknowledged, serialized bot turns, hand-over to people and ending. Adapters (realtime, HTTP)
 * call this and fan out what it emits on the bus; the engine decides what the bot says.
 */
import type { z } from 'zod';
import type { ConversationView, EndReason } from '../../shared/conversation.ts';
import { AppError, LIMITS } from '../../shared/errors.ts';
import type { Flow } from '../../shared/flow.ts';
import type { Message } from '../../shared/message.ts';
import type { PublicSiteSettings, Site } from '../../shared/site.ts';
import type { VisitorAcks, VisitorPayloads } from '../../shared/visitor-events.ts';
import type { Logger } from '../logger.ts';
import type { Conversation } from '../store/conversations.ts';
import { toView } from '../store/conversations.ts';
import type { Store } from '../store/index.ts';
import type { Visitor } from '../store/visitors.ts';
import { availability } from './business-hours.ts';
import type { Engine, TurnInput, TurnResult, VisitorInput } from './engine-types.ts';
import type { ConversationBus } from './events.ts';
import { verifyUserHash } from './identity.ts';
import { createSerialQueue } from './serial-queue.ts';

export interface ConversationServiceDeps {
  store: Store;
  engine: Engine;
  bus: ConversationBus;
  log: Logger;
  now?: () => number;
  /** longest an engine turn may take before the visitor gets an apology (default 60 s) */
  turnTimeoutMs?: number;
}

export interface Agent {
  id: string;
  name: string;
}

/** a payload after its schema parsed it (defaults filled in) */
type Payload<K extends keyof typeof VisitorPayloads> = z.output<(typeof VisitorPayloads)[K]>;

/** how many recent messages an engine turn sees */
const HISTORY_LIMIT = 20;

export const APOLOGY = 'Sorry, something went wrong on our side. Your message is saved; please try again in a moment.';

export function createConversationService(deps: ConversationServiceDeps) {
  const { store, engine, bus, log } = deps;
  const now = deps.now ?? Date.now;
  const turns = createSerialQueue();
  // two tabs (or a double click) starting at once must not open two conversations
  const starts = createSerialQueue();
  const turnTimeoutMs = deps.turnTimeoutMs ?? 60_000;

  const scope = (c: Conversation) => ({ siteId: c.siteId, visitorId: c.visitorId, conversationId: c.id });

  function publicSettings(site: Site): PublicSiteSettings {
    const s = site.settings;
    return { name: site.name, color: s.color, position: s.position, locale: s.locale, strings: s.strings, ...availability(s.businessHours, now()) };
  }

  /** the visitor's own conversation on this site, or not_found (never reveals someone else's) */
  function owned(site: Site, visitor: Visitor, conversationId: string): Conversation {
    const c = store.conversations.get(conversationId);
    if (!c || c.siteId !== site.id || c.visitorId !== visitor.id) throw new AppError('not_found', 'No such conversation.');
    return c;
  }

  function mustGet(conversationId: string): Conversation {
    const c = store.conversations.get(conversationId);
    if (!c) throw new AppError('not_found', 'No such conversation.');
    return c;
  }

  function emitCreated(c: Conversation, messages: (Message & { draftId?: string })[]) {
    for (const message of messages) bus.emit('message:created', { ...scope(c), message });
  }

  /** end in one transaction with the extract job; emits once, returns false when already ended */
  function end(conversationId: string, reason: EndReason): boolean {
    const at = now();
    const changed = store.tx(() => {
      if (!store.conversations.end(conversationId, reason, at)) return false;
      store.jobs.enqueue('extract', { conversationId }, { dedupeKey: `extract:${conversationId}` });
      return true;
    });
    if (changed) {
      const c = mustGet(conversationId);
      bus.emit('conversation:ended', { ...scope(c), reason });
      bus.emit('conversation:updated', { ...scope(c), conversation: toView(c) });
    }
    return changed;
  }

  function turnInput(site: Site, flow: Flow, c: Conversation, locale: string): TurnInput {
    return {
      site,
      flow,
      conversationId: c.id,
      state: c.state,
      // the engine reads recent context only; a full transcript per turn would grow without bound
      history: store.messages.recent(c.id, HISTORY_LIMIT),
      answers: store.answers.list(c.id),
      locale,
      onDelta: (draftId, text) => bus.emit('message:delta', { ...scope(c), draftId, text }),
    };
  }

  const apology = (state: unknown): TurnResult => ({
    replies: [{ text: APOLOGY, reply: null }],
    state,
    answers: [],
    completed: false,
    needsHuman: false,
  });

  /** the engine's turn, bounded: a hung engine must not hold the conversation's queue forever */
  async function askEngine(input: TurnInput, visitor: VisitorInput | null): Promise<TurnResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`engine turn exceeded ${turnTimeoutMs} ms`)), turnTimeoutMs);
    });
    try {
      return await Promise.race([visitor ? engine.reply(input, visitor) : engine.start(input), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** replies + state + answers in one transaction; null when the conversation moved on meanwhile */
  function commitTurn(conversationId: string, result: TurnResult, keepState: boolean) {
    const created: (Message & { draftId?: string })[] = [];
    const at = now();
    const c = store.tx(() => {
      const current = store.conversations.get(conversationId);
      // the visitor ended it or a person took over while the engine was thinking
      if (!current || current.status !== 'open' || current.mode !== 'bot') return null;
      for (const r of result.replies) {
        const { message } = store.messages.append(conversationId, { author: 'bot', text: r.text, reply: r.reply }, at);
        created.push(r.draftId ? { ...message, draftId: r.draftId } : message);
      }
      if (!keepState) store.conversations.setState(conversationId, result.state, at);
      for (const a of result.answers) store.answers.upsert(conversationId, a);
      if (result.needsHuman) store.conversations.markNeedsHuman(conversationId);
      return current;
    });
    return c ? { conversation: c, created } : null;
  }

  /**
   * One bot turn: typing on, ask the engine, commit replies + state + answers together, typing
   * off, end when the flow completed. An engine failure (or an engine result the store refuses)
   * becomes an apology; the visitor's message is already committed and stays.
   */
  async function botTurn(site: Site, conversationId: string, locale: string, visitor: VisitorInput | null): Promise<void> {
    const before = store.conversations.get(conversationId);
    if (!before || before.status !== 'open' || before.mode !== 'bot' || !before.flowId) return;
    const flow = store.flows.get(site.id, before.flowId);
    if (!flow) {
      log.warn({ conversationId, flowId: before.flowId }, 'flow missing; bot stays silent');
      return;
    }
    bus.emit('typing:changed', { ...scope(before), author: 'bot', typing: true });
    try {
      let result: TurnResult;
      let failed = false;
      try {
        result = await askEngine(turnInput(site, flow, before, locale), visitor);
      } catch (err) {
        log.error({ err, conversationId }, 'engine turn failed');
        failed = true;
        result = apology(before.state);
      }
      let done: ReturnType<typeof commitTurn>;
      try {
        done = commitTurn(conversationId, result, failed);
      } catch (err) {
        log.error({ err, conversationId }, 'could not store the engine result');
        result = apology(before.state);
        done = commitTurn(conversationId, result, true);
      }
      if (!done) return;
      emitCreated(done.conversation, done.created);
      if (result.needsHuman) bus.emit('handoff:requested', scope(done.conversation));
      if (result.completed) end(conversationId, 'completed');
    } finally {
      bus.emit('typing:changed', { ...scope(before), author: 'bot', typing: false });
    }
  }

  function runTurn(site: Site, conversationId: string, locale: string, visitor: VisitorInput | null): Promise<void> {
    return turns.run(conversationId, () =>
      botTurn(site, conversationId, locale, visitor).catch((err: unknown) => log.error({ err, conversationId }, 'bot turn crashed')),
    );
  }

  const localeOf = (site: Site, visitor: Visitor) => visitor.locale ?? site.settings.locale;

  return {
    /** who is this visitor (a new one when the token is absent or unknown), and what is under way */
    hello(
      site: Site,
      visitorToken: string | undefined,
      payload: Payload<'session:hello'>,
    ): { ack: VisitorAcks['session:hello']; visitor: Visitor } {
      const at = now();
      const locale = payload.locale ?? null;
      let visitor = visitorToken ? store.visitors.findByToken(site.id, visitorToken) : null;
      let token = visitorToken ?? '';
      if (visitor) store.visitors.touch(visitor.id, locale, at);
      else ({ visitor, token } = store.visitors.create(site.id, locale, at));
      visitor = store.visitors.get(visitor.id) ?? visitor;
      const open = store.conversations.latestOpen(visitor.id);
      return {
        visitor,
        ack: {
          visitorToken: token,
          visitorId: visitor.id,
          verified: visitor.verified,
          site: publicSettings(site),
          conversation: open ? toView(open) : null,
          messages: open ? store.messages.list(open.id) : [],
        },
      };
    },

    /** the visitor's token from an earlier hello, or null */
    visitorByToken(site: Site, token: string): Visitor | null {
      return store.visitors.findByToken(site.id, token);
    },

    publicSettings,

    /** start (or resume unless `restart`) a conversation; the ack carries the opening turn */
    start(site: Site, visitor: Visitor, payload: Payload<'conversation:start'> & { pageUrl?: string }): Promise<VisitorAcks['conversation:start']> {
      return starts.run(visitor.id, async () => {
        const flowId = payload.flowId ?? site.settings.defaultFlow;
        if (!store.flows.get(site.id, flowId)) throw new AppError('not_found', `No flow "${flowId}" on this site.`);
        const existing = store.conversations.latestOpen(visitor.id, flowId);
        if (existing && !payload.restart) return { conversation: toView(existing), messages: store.messages.list(existing.id) };
        if (existing) end(existing.id, 'visitor');
        const c = store.conversations.create({ siteId: site.id, visitorId: visitor.id, flowId, pageUrl: payload.pageUrl ?? null }, now());
        bus.emit('conversation:started', { ...scope(c), conversation: toView(c) });
        await runTurn(site, c.id, localeOf(site, visitor), null);
        return { conversation: toView(mustGet(c.id)), messages: store.messages.list(c.id) };
      });
    },

    /**
     * Commit the visitor's message and return it (the adapter acks now); the bot's answer follows
     * asynchronously on the bus. A resent clientId returns the stored message, duplicate: true.
     */
    sendVisitorMessage(site: Site, visitor: Visitor, payload: Payload<'message:send'>): VisitorAcks['message:send'] {
      if (payload.text.length > LIMITS.MESSAGE_MAX_CHARS) {
        throw new AppError('message_too_long', `Messages are limited to ${LIMITS.MESSAGE_MAX_CHARS} characters.`);
      }
      const c = owned(site, visitor, payload.conversationId);
      if (c.status === 'ended') {
        // a resend of something that made it before the end is still answered as the original
        const prior = store.messages.byClientId(c.id, payload.clientId);
        if (prior) return { message: prior, duplicate: true };
        throw new AppError('conversation_ended', 'This conversation has ended; start a new one.');
      }
      const res = store.messages.append(c.id, { author: 'visitor', text: payload.text, clientId: payload.clientId }, now());
      if (res.duplicate) return res;
      emitCreated(c, [res.message]);
      if (c.mode === 'bot') {
        const input: VisitorInput = payload.value === undefined ? { text: payload.text } : { text: payload.text, value: payload.value };
        void runTurn(site, c.id, localeOf(site, visitor), input);
      }
      return res;
    },

    messagesSince(site: Site, visitor: Visitor, payload: Payload<'messages:since'>): VisitorAcks['messages:since'] {
      const c = owned(site, visitor, payload.conversationId);
      return { messages: store.messages.since(c.id, payload.afterSeq) };
    },

    endByVisitor(site: Site, visitor: Visitor, payload: Payload<'conversation:end'>): VisitorAcks['conversation:end'] {
      const c = owned(site, visitor, payload.conversationId);
      end(c.id, 'visitor');
      return { conversation: toView(mustGet(c.id)) };
    },

    /** link the visitor to the site's user; a userHash must match or the call is refused */
    identify(site: Site, visitor: Visitor, payload: Payload<'visitor:identify'>): VisitorAcks['visitor:identify'] {
      let verified = false;
      if (payload.userHash !== undefined) {
        const secret = store.sites.identitySecret(site.id);
        if (!secret || !verifyUserHash(secret, payload.id, payload.userHash)) {
          throw new AppError('invalid_user_hash', 'The userHash does not match this user id.');
        }
        verified = true;
      }
      store.visitors.identify(visitor.id, { externalId: payload.id, name: payload.name ?? null, email: payload.email ?? null, verified });
      return { verified };
    },

    visitorTyping(site: Site, visitor: Visitor, payload: Payload<'visitor:typing'>): VisitorAcks['visitor:typing'] {
      const c = owned(site, visitor, payload.conversationId);
      bus.emit('typing:changed', { ...scope(c), author: 'visitor', typing: payload.typing });
      return {};
    },

    /** end open conversations idle past their site's timeout; returns how many ended */
    endIdle(at = now()): number {
      let n = 0;
      for (const id of store.conversations.idleIds(at)) if (end(id, 'idle')) n++;
      return n;
    },

    /** a person answers from now on; the bot stays quiet until handBack */
    takeOver(conversationId: string, agent: Agent): ConversationView {
      const created = store.tx(() => {
        const c = mustGet(conversationId);
        if (c.status !== 'open') throw new AppError('conversation_ended', 'This conversation has ended.');
        if (c.mode === 'human' && c.agentId !== agent.id) throw new AppError('conflict', `${c.agentName ?? 'Someone'} has already taken over.`);
        if (c.mode === 'human') return null;
        store.conversations.setMode(c.id, 'human', agent, now());
        return store.messages.append(c.id, { author: 'system', text: `${agent.name} joined the conversation.` }, now()).message;
      });
      const c = mustGet(conversationId);
      if (created) {
        emitCreated(c, [created]);
        bus.emit('conversation:updated', { ...scope(c), conversation: toView(c) });
      }
      return toView(c);
    },

    handBack(conversationId: string, agent: Agent): ConversationView {
      const created = store.tx(() => {
        const c = mustGet(conversationId);
        if (c.mode !== 'human') return null;
        store.conversations.setMode(c.id, 'bot', null, now());
        if (c.status !== 'open') return null;
        return store.messages.append(c.id, { author: 'system', text: `${agent.name} left; the assistant is back.` }, now()).message;
      });
      const c = mustGet(conversationId);
      if (created) {
        emitCreated(c, [created]);
        bus.emit('conversation:updated', { ...scope(c), conversation: toView(c) });
      }
      return toView(c);
    },

    /** an agent's message; only while that agent has taken the conversation over */
    sendAgentMessage(conversationId: string, agent: Agent, text: string, clientId: string): { message: Message; duplicate: boolean } {
      if (text.length > LIMITS.MESSAGE_MAX_CHARS) throw new AppError('message_too_long', `Messages are limited to ${LIMITS.MESSAGE_MAX_CHARS} characters.`);
      const c = mustGet(conversationId);
      if (c.status !== 'open') throw new AppError('conversation_ended', 'This conversation has ended.');
      if (c.mode !== 'human' || c.agentId !== agent.id) throw new AppError('conflict', 'Take the conversation over before answering.');
      const res = store.messages.append(c.id, { author: 'agent', authorName: agent.name, text, clientId }, now());
      if (!res.duplicate) emitCreated(c, [res.message]);
      return res;
    },

    /** an agent or an owner closes it */
    endByAgent(conversationId: string): ConversationView {
      mustGet(conversationId);
      end(conversationId, 'agent');
      return toView(mustGet(conversationId));
    },

    /** end with any reason (retention, imports...); false when it was already ended */
    end,

    /** resolves when every queued bot turn has finished (tests, graceful shutdown) */
    idle: () => turns.idle(),
  };
}
export type ConversationService = ReturnType<typeof createConversationService>;

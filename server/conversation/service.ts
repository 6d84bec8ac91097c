/**
 * The conversation protocol: ownership checks, committing visitor messages before they are
 * acknowledged, serialized bot turns, hand-over to people and ending. Adapters (realtime, HTTP)
 * call this and fan out what it emits on the bus; the engine decides what the bot says.
 */
import type { z } from 'zod';
import { AppError, LIMITS } from '../../shared/errors.ts';
import type { PublicSiteSettings, Site } from '../../shared/site.ts';
import type { VisitorAcks, VisitorPayloads } from '../../shared/visitor-events.ts';
import type { Logger } from '../logger.ts';
import type { Conversation } from '../store/conversations.ts';
import { toView } from '../store/conversations.ts';
import type { Store } from '../store/index.ts';
import type { Visitor } from '../store/visitors.ts';
import { availability } from './business-hours.ts';
import type { Engine, VisitorInput } from './engine-types.ts';
import type { ConversationBus } from './events.ts';
import { verifyUserHash } from './identity.ts';
import { createAgentActions } from './agent-actions.ts';
import { createBotTurns } from './bot-turns.ts';
import { createSerialQueue } from './serial-queue.ts';

type SerialQueue = ReturnType<typeof createSerialQueue>;
import { createServiceContext } from './service-context.ts';
import { createCommitter, createGroupCommit } from './group-commit.ts';

export interface ConversationServiceDeps {
  store: Store;
  engine: Engine;
  bus: ConversationBus;
  log: Logger;
  now?: () => number;
  /** longest an engine turn may take before the visitor gets an apology (default 60 s) */
  turnTimeoutMs?: number;
  /**
   * how long conversation:start waits for the opening turn before acking without it (default
   * 5 s, under the widget's 10 s ack timeout); a slower greeting follows as message:created
   */
  openingWaitMs?: number;
  /**
   * per-key serial queues (bot turns per conversation, starts per visitor); a cluster passes
   * ones that also hold a lock across instances (cluster/state.ts). Default: in this process.
   */
  serialQueue?: (name: string) => SerialQueue;
}

/** a payload after its schema parsed it (defaults filled in) */
type Payload<K extends keyof typeof VisitorPayloads> = z.output<(typeof VisitorPayloads)[K]>;

/** resolves when `work` does or after `ms`, whichever is first; `work` carries on either way */
async function waitAtMost(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

export function createConversationService(deps: ConversationServiceDeps) {
  const { store, engine, bus, log } = deps;
  const now = deps.now ?? Date.now;
  // two tabs (or a double click) starting at once must not open two conversations
  const starts = deps.serialQueue?.('starts') ?? createSerialQueue();

  const ctx = createServiceContext(store, bus, now);
  // visitor messages and bot replies gathered in one tick share a transaction; the visitor lane
  // goes first, so a message and the bot reply after it get seqs in the order they are announced
  // items are written without a savepoint each (two round trips per item on PostgreSQL, a few
  // microseconds of a message's CPU on SQLite) and a batch with a failing item is written again
  // with them, so that item alone fails
  const committer = createCommitter((fn) => store.tx(fn), { savepoints: 'on-failure' });
  const agents = createAgentActions(ctx);
  const { mustGet, end } = ctx;
  const openingWaitMs = deps.openingWaitMs ?? 5_000;

  function publicSettings(site: Site): PublicSiteSettings {
    const s = site.settings;
    return { name: site.name, color: s.color, position: s.position, locale: s.locale, strings: s.strings, ...availability(s.businessHours, now()) };
  }

  /** the visitor's own conversation on this site, or not_found (never reveals someone else's) */
  async function owned(site: Site, visitor: Visitor, conversationId: string): Promise<Conversation> {
    const c = await store.conversations.get(conversationId);
    if (!c || c.siteId !== site.id || c.visitorId !== visitor.id) throw new AppError('not_found', 'No such conversation.');
    return c;
  }

  const localeOf = (site: Site, visitor: Visitor) => visitor.locale ?? site.settings.locale;

  interface VisitorMessage {
    site: Site;
    visitor: Visitor;
    payload: Payload<'message:send'>;
    /** the socket it came from: it hears of its message from the ack, not again from the bus */
    origin?: string;
  }
  /** the conversation's owner and status, as far as a visitor message needs them (no state parsed) */
  type MessageTarget = NonNullable<Awaited<ReturnType<Store['conversations']['owner']>>>;
  /** inside the batch's transaction: ownership and status are read where the append happens */
  async function writeVisitorMessage({ site, visitor, payload }: VisitorMessage): Promise<{
    ack: VisitorAcks['message:send'];
    conversation: MessageTarget;
    /** the conversation as this message reopened it (it had ended for inactivity) */
    reopened?: Conversation;
  }> {
    // the common case (their open conversation) in one go; anything else is worked out below
    const fast = await store.messages.appendToOpen(payload.conversationId, { siteId: site.id, visitorId: visitor.id }, { author: 'visitor', text: payload.text, clientId: payload.clientId }, now());
    if (fast) return { ack: fast.appended, conversation: fast.conversation };
    const c = await store.conversations.owner(payload.conversationId);
    if (!c || c.siteId !== site.id || c.visitorId !== visitor.id) throw new AppError('not_found', 'No such conversation.');
    if (c.status === 'ended') {
      // a resend of something that made it before the end is still answered as the original
      const prior = await store.messages.byClientId(c.id, payload.clientId);
      if (prior) return { ack: { message: prior, duplicate: true }, conversation: c };
      // a conversation that only timed out takes the visitor's reply (an outbox delivered after a
      // long time offline) and opens again; one the visitor or an agent ended stays ended. Reopen
      // and append share this savepoint: a failed append leaves it ended.
      const at = now();
      if (c.endReason !== 'idle' || !(await store.conversations.reopenIdle(c.id, at))) {
        throw new AppError('conversation_ended', 'This conversation has ended; start a new one.');
      }
      const ack = await store.messages.append(c.id, { author: 'visitor', text: payload.text, clientId: payload.clientId }, at);
      return { ack, conversation: { ...c, status: 'open', endReason: null }, reopened: await mustGet(c.id) };
    }
    const ack = await store.messages.append(c.id, { author: 'visitor', text: payload.text, clientId: payload.clientId }, now());
    return { ack, conversation: c };
  }
  const commits = {
    tx: <T>(fn: () => Promise<T>): Promise<T> => store.tx(fn),
    onAfterError: (err: unknown) => log.error({ err }, 'after committing visitor messages'),
    committer,
    // writeVisitorMessage throws an AppError (not_found, conversation_ended) only from what it read
    refusedBeforeWriting: (err: unknown) => err instanceof AppError,
  };
  const visitorMessages = createGroupCommit(commits, writeVisitorMessage, (committed) => {
    for (const { item, value } of committed) {
      if (value.ack.duplicate) continue;
      const c = value.conversation;
      // admins' lists and the visitor's other tabs see it open again before the message
      if (value.reopened) bus.emit('conversation:reopened', { ...ctx.scope(value.reopened), seq: value.ack.message.seq });
      if (value.reopened) bus.emit('conversation:updated', { ...ctx.scope(value.reopened), conversation: toView(value.reopened) });
      const created = { siteId: c.siteId, visitorId: c.visitorId, conversationId: c.id, message: value.ack.message };
      bus.emit('message:created', item.origin === undefined ? created : { ...created, origin: item.origin });
      if (c.mode === 'bot') {
        const { text, value: v } = item.payload;
        const input: VisitorInput = v === undefined ? { text } : { text, value: v };
        void bot.run(item.site, c.id, localeOf(item.site, item.visitor), input);
      }
    }
  });

  const bot = createBotTurns(ctx, engine, log, deps.turnTimeoutMs ?? 60_000, committer, deps.serialQueue?.('turns'));

  return {
    /** who is this visitor (a new one when the token is absent or unknown), and what is under way */
    async hello(
      site: Site,
      visitorToken: string | undefined,
      payload: Payload<'session:hello'>,
    ): Promise<{ ack: VisitorAcks['session:hello']; visitor: Visitor }> {
      const at = now();
      const locale = payload.locale ?? null;
      let visitor = visitorToken ? await store.visitors.findByToken(site.id, visitorToken) : null;
      let token = visitorToken ?? '';
      if (visitor) await store.visitors.touch(visitor.id, locale, at);
      else ({ visitor, token } = await store.visitors.create(site.id, locale, at));
      visitor = (await store.visitors.get(visitor.id)) ?? visitor;
      // a reload right after the end still shows the finished transcript (and the offer to start
      // anew); a day later the visitor is greeted afresh
      const RECENTLY_ENDED_MS = 24 * 60 * 60 * 1000;
      const latest = (await store.conversations.latestOpen(visitor.id)) ?? (await store.conversations.latestEndedSince(visitor.id, at - RECENTLY_ENDED_MS));
      return {
        visitor,
        ack: {
          visitorToken: token,
          visitorId: visitor.id,
          verified: visitor.verified,
          site: publicSettings(site),
          conversation: latest ? toView(latest) : null,
          messages: latest ? await store.messages.list(latest.id) : [],
        },
      };
    },

    /** the visitor's token from an earlier hello, or null */
    visitorByToken(site: Site, token: string): Promise<Visitor | null> {
      return store.visitors.findByToken(site.id, token);
    },

    publicSettings,

    /**
     * start (or resume unless `restart`) a conversation; the ack carries the opening turn.
     * `admitNew` runs only when a new conversation would be created (the adapter's rate limit
     * throws there); resuming an open one is free.
     */
    start(
      site: Site,
      visitor: Visitor,
      payload: Payload<'conversation:start'> & { pageUrl?: string },
      admitNew: () => void | Promise<void> = () => undefined,
    ): Promise<VisitorAcks['conversation:start']> {
      return starts.run(visitor.id, async () => {
        const flowId = payload.flowId ?? site.settings.defaultFlow;
        if (!(await store.flows.get(site.id, flowId))) throw new AppError('not_found', `No flow "${flowId}" on this site.`);
        const existing = await store.conversations.latestOpen(visitor.id, flowId);
        if (existing && !payload.restart) return { conversation: toView(existing), messages: await store.messages.list(existing.id) };
        await admitNew();
        if (existing) await end(existing.id, 'visitor');
        const c = await store.conversations.create({ siteId: site.id, visitorId: visitor.id, flowId, pageUrl: payload.pageUrl ?? null }, now());
        bus.emit('conversation:started', { ...ctx.scope(c), conversation: toView(c) });
        await waitAtMost(bot.run(site, c.id, localeOf(site, visitor), null), openingWaitMs);
        return { conversation: toView(await mustGet(c.id)), messages: await store.messages.list(c.id) };
      });
    },

    /**
     * Commit the visitor's message and resolve with it (the adapter acks then); the bot's answer
     * follows asynchronously on the bus. A resent clientId resolves with the stored message,
     * duplicate: true. Messages arriving in the same event-loop turn share one commit.
     */
    async sendVisitorMessage(site: Site, visitor: Visitor, payload: Payload<'message:send'>, origin?: string): Promise<VisitorAcks['message:send']> {
      if (payload.text.length > LIMITS.MESSAGE_MAX_CHARS) {
        throw new AppError('message_too_long', `Messages are limited to ${LIMITS.MESSAGE_MAX_CHARS} characters.`);
      }
      return (await visitorMessages.submit(origin === undefined ? { site, visitor, payload } : { site, visitor, payload, origin })).ack;
    },

    async messagesSince(site: Site, visitor: Visitor, payload: Payload<'messages:since'>): Promise<VisitorAcks['messages:since']> {
      const c = await owned(site, visitor, payload.conversationId);
      return { messages: await store.messages.since(c.id, payload.afterSeq) };
    },

    async endByVisitor(site: Site, visitor: Visitor, payload: Payload<'conversation:end'>): Promise<VisitorAcks['conversation:end']> {
      const c = await owned(site, visitor, payload.conversationId);
      await end(c.id, 'visitor');
      return { conversation: toView(await mustGet(c.id)) };
    },

    /** link the visitor to the site's user; a userHash must match or the call is refused */
    async identify(site: Site, visitor: Visitor, payload: Payload<'visitor:identify'>): Promise<VisitorAcks['visitor:identify']> {
      let verified = false;
      if (payload.userHash !== undefined) {
        const secret = await store.sites.identitySecret(site.id);
        if (!secret || !verifyUserHash(secret, payload.id, payload.userHash)) {
          throw new AppError('invalid_user_hash', 'The userHash does not match this user id.');
        }
        verified = true;
      }
      await store.visitors.identify(visitor.id, { externalId: payload.id, name: payload.name ?? null, email: payload.email ?? null, verified });
      return { verified };
    },

    async visitorTyping(site: Site, visitor: Visitor, payload: Payload<'visitor:typing'>): Promise<VisitorAcks['visitor:typing']> {
      const c = await owned(site, visitor, payload.conversationId);
      bus.emit('typing:changed', { ...ctx.scope(c), author: 'visitor', typing: payload.typing });
      return {};
    },

    /** end open conversations idle past their site's timeout; returns how many ended */
    async endIdle(at = now()): Promise<number> {
      let n = 0;
      // one at a time: each end is its own transaction with its extract job
      for (const id of await store.conversations.idleIds(at)) if (await end(id, 'idle')) n++;
      return n;
    },

    ...agents,

    /** end with any reason (retention, imports...); false when it was already ended */
    end,

    /** resolves when every queued bot turn has finished (tests, graceful shutdown) */
    async idle(): Promise<void> {
      await visitorMessages.idle();
      await bot.idle();
    },
  };
}
export type ConversationService = ReturnType<typeof createConversationService>;
export type { Agent } from './agent-actions.ts';
export { APOLOGY } from './bot-turns.ts';

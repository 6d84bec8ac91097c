/**
 * The bot's turns, one at a time per conversation: typing on, ask the engine (bounded in time),
 * commit replies + state + answers, typing off, end when the flow completed. Turns that finish in
 * the same event-loop turn share one transaction (group commit): a commit per bot reply was a
 * quarter of a message's cost. Each turn's writes still succeed or fail alone (a savepoint).
 * An engine failure, or a result the store refuses, becomes an apology; the visitor's message
 * was committed before and stays.
 * Per turn only what changes is read (status, mode, state); history and answers when the engine
 * asks; a turn with nothing to store opens no transaction.
 */
import type { Flow } from '../../shared/flow.ts';
import type { Message } from '../../shared/message.ts';
import type { Site } from '../../shared/site.ts';
import type { Logger } from '../logger.ts';
import { stateJson } from '../store/conversations.ts';
import type { Engine, TurnInput, TurnResult, VisitorInput } from './engine-types.ts';
import { createGroupCommit, type Committer } from './group-commit.ts';
import { createSerialQueue } from './serial-queue.ts';

type SerialQueue = ReturnType<typeof createSerialQueue>;
import type { Party, ServiceContext } from './service-context.ts';

/** how many recent messages an engine turn sees (the engine uses fewer) */
const HISTORY_LIMIT = 20;
/** conversations whose parties and flow are remembered (they never change; a miss costs one read) */
const KNOWN_LIMIT = 10_000;

/** who a conversation is about and its flow: set when it is created, never updated */
interface Known extends Party {
  flowId: string | null;
}

/** the state as stored; a corrupt one restarts the engine's view of it (as the store's full read does) */
function parseState(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return {};
  }
}

export const APOLOGY = 'Sorry, something went wrong on our side. Your message is saved; please try again in a moment.';

/** a read the engine may never make: started on the first call, shared by later ones */
function once<T>(read: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => (pending ??= read());
}

/**
 * Nothing to store or announce: no reply, answer, hand-off or end, and the state as stored. Such a
 * turn skips the transaction (and its gate read); there is nothing a moved-on conversation could refuse.
 */
const writesNothing = (r: TurnResult, storedState: string, keepState: boolean) =>
  r.replies.length === 0 && r.answers.length === 0 && !r.needsHuman && !r.completed && (keepState || stateJson(r.state) === storedState);

const apology = (state: unknown): TurnResult => ({ replies: [{ text: APOLOGY, reply: null }], state, answers: [], completed: false, needsHuman: false });

interface TurnCommit {
  conversation: Party;
  result: TurnResult;
  /** the engine failed: its state must not be touched */
  keepState: boolean;
}

export function createBotTurns(ctx: ServiceContext, engine: Engine, log: Logger, turnTimeoutMs: number, committer?: Committer, turns?: SerialQueue) {
  const { store, bus } = ctx;
  // one conversation's turns run one at a time (across instances when the cluster's queue is given)
  const queue = turns ?? createSerialQueue();

  const known = new Map<string, Known>();
  /** read once per conversation: a turn reads only what changes (status, mode, state) */
  async function knownOf(conversationId: string): Promise<Known | null> {
    const hit = known.get(conversationId);
    if (hit) return hit;
    const c = await store.conversations.get(conversationId);
    if (!c) return null;
    const k: Known = { id: c.id, siteId: c.siteId, visitorId: c.visitorId, flowId: c.flowId };
    // the oldest remembered goes first (a Map keeps insertion order)
    const oldest = known.size >= KNOWN_LIMIT ? known.keys().next() : null;
    if (oldest && !oldest.done) known.delete(oldest.value);
    known.set(conversationId, k);
    return k;
  }

  /** the engine reads history and answers only if it needs them (outside any transaction, once a turn) */
  function turnInput(site: Site, flow: Flow, c: Party, state: unknown, lastSeq: number, locale: string): TurnInput {
    return {
      site,
      flow,
      conversationId: c.id,
      state,
      // recent context only: a full transcript per turn would grow without bound
      // as of the turn's start (lastSeq): served from the in-memory history when it ends there
      history: once(() => store.messages.recent(c.id, HISTORY_LIMIT, lastSeq)),
      answers: once(() => store.answers.list(c.id)),
      locale,
      onDelta: (draftId, text) => bus.emit('message:delta', { ...ctx.scope(c), draftId, text }),
    };
  }

  /** a hung engine must not hold the conversation's queue forever */
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

  /** inside the batch's transaction; null when the conversation moved on (ended, taken over) while the engine was thinking */
  async function write({ conversation, result, keepState }: TurnCommit) {
    const conversationId = conversation.id;
    const created: (Message & { draftId?: string })[] = [];
    const at = ctx.now();
    const current = await store.conversations.gate(conversationId);
    if (!current || current.status !== 'open' || current.mode !== 'bot') return null;
    for (const r of result.replies) {
      const { message } = await store.messages.append(conversationId, { author: 'bot', text: r.text, reply: r.reply }, at);
      created.push(r.draftId ? { ...message, draftId: r.draftId } : message);
    }
    // an unchanged state is not written again (most support turns leave it as it was)
    if (!keepState && stateJson(result.state) !== current.stateJson) await store.conversations.setState(conversationId, result.state, at);
    for (const a of result.answers) await store.answers.upsert(conversationId, a);
    if (result.needsHuman) await store.conversations.markNeedsHuman(conversationId);
    return { conversation, created };
  }
  const commits = createGroupCommit<TurnCommit, Awaited<ReturnType<typeof write>>>(
    { tx: (fn) => store.tx(fn), onAfterError: (err) => log.error({ err }, 'after committing bot replies'), ...(committer ? { committer } : {}) },
    write,
  );
  const commit = (conversation: Party, result: TurnResult, keepState: boolean) => commits.submit({ conversation, result, keepState });

  async function turn(site: Site, conversationId: string, locale: string, visitor: VisitorInput | null): Promise<void> {
    // as the turn begins: still open and the bot's (an agent may have taken over since the message)
    const live = await store.conversations.gate(conversationId);
    if (!live || live.status !== 'open' || live.mode !== 'bot') return;
    const before = await knownOf(conversationId);
    if (!before?.flowId) return;
    const state = parseState(live.stateJson);
    const flow = await store.flows.get(site.id, before.flowId);
    if (!flow) {
      log.warn({ conversationId, flowId: before.flowId }, 'flow missing; bot stays silent');
      return;
    }
    bus.emit('typing:changed', { ...ctx.scope(before), author: 'bot', typing: true });
    try {
      let result: TurnResult;
      let failed = false;
      try {
        result = await askEngine(turnInput(site, flow, before, state, live.lastSeq, locale), visitor);
      } catch (err) {
        log.error({ err, conversationId }, 'engine turn failed');
        failed = true;
        result = apology(state);
      }
      if (writesNothing(result, live.stateJson, failed)) return;
      let done: Awaited<ReturnType<typeof commit>>;
      try {
        done = await commit(before, result, failed);
      } catch (err) {
        log.error({ err, conversationId }, 'could not store the engine result');
        result = apology(state);
        done = await commit(before, result, true);
      }
      if (!done) return;
      ctx.emitCreated(done.conversation, done.created);
      if (result.needsHuman) bus.emit('handoff:requested', ctx.scope(done.conversation));
      if (result.completed) await ctx.end(conversationId, 'completed');
    } finally {
      bus.emit('typing:changed', { ...ctx.scope(before), author: 'bot', typing: false });
    }
  }

  return {
    /** queue a turn (the opening one when `visitor` is null); resolves when it has run */
    run(site: Site, conversationId: string, locale: string, visitor: VisitorInput | null): Promise<void> {
      return queue.run(conversationId, () =>
        turn(site, conversationId, locale, visitor).catch((err: unknown) => log.error({ err, conversationId }, 'bot turn crashed')),
      );
    },
    idle: async () => {
      await queue.idle();
      await commits.idle();
    },
  };
}

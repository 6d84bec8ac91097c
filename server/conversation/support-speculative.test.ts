/**
 * Speculative retrieval, through the real openai client against the local fake server: a support
 * question the offline reader cannot place is embedded while its answer is already being asked
 * for with the best lexical candidates. The answer's pieces are held until hybrid ranking is in;
 * they are shown when the request carried every passage it picked, otherwise the request is
 * aborted and asked again, and the visitor sees the second answer only (a small knowledge base
 * goes whole, so that cannot happen). The fake's embedder holds
 * its vectors back until the engine has received the first answer's text, so these tests see the
 * order of events, not timings.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Flow } from '../../shared/flow.ts';
import { createEmbedder, withEmbeddings } from '../llm/embeddings.ts';
import { bagOfWordsEmbedder, startFakeOpenAI, type FakeOpenAI, type FakeRequest } from '../llm/fake-openai.ts';
import { createOpenAILlm } from '../llm/openai.ts';
import type { LlmClient } from '../llm/types.ts';
import { createLogger } from '../logger.ts';
import { createEngine } from './engine.ts';
import { EngineDriver } from './engine-driver.ts';
import { loadKbDir } from './example-kb.ts';
import { createKnowledgeBase, type KnowledgeBase } from './knowledge-base.ts';
import { retrieve } from './kb-retrieval.ts';
import { largeKbEntries } from './kb-test-kit.ts';

const support = Flow.parse(JSON.parse(readFileSync(new URL('../../examples/flows/support.json', import.meta.url), 'utf8')));
/** the demo knowledge base, small enough to go whole into a speculative request */
const smallKb = createKnowledgeBase(() => loadKbDir());
/** past WHOLE_KB_CHARS: a speculative request carries the lexical candidates only */
const kb = createKnowledgeBase(() => largeKbEntries());
const log = createLogger('silent');
const FIRST = 'First answer from the lexical passages.';
const SECOND = 'Second answer from the hybrid passages.';

let fake: FakeOpenAI;
let release: () => void = () => undefined;
beforeEach(async () => {
  fake = await startFakeOpenAI();
});
afterEach(async () => {
  release();
  await fake.close();
});

const chats = () => fake.requests.filter((r) => r.path.endsWith('/chat/completions'));
const systemOf = (r: FakeRequest | undefined) => (r?.body as { messages?: { role: string; content: string }[] } | undefined)?.messages?.find((m) => m.role === 'system')?.content ?? '';
const entriesShown = (system: string) => [...system.matchAll(/--- Entry \d+: (.+)/g)].map((m) => m[1]);

/**
 * The engine's LLM: the real client, with every streamed piece it hands the engine recorded
 * (`received`), so the fake's embedder can wait for the first answer to have arrived.
 */
function setup(embedTimeoutMs = 5_000, base: KnowledgeBase = kb) {
  const chat = createOpenAILlm({ baseURL: fake.baseURL, apiKey: 'k', model: 'test-model', timeoutMs: 5_000, maxRetries: 0, log });
  const received: string[] = [];
  let arrived: () => void = () => undefined;
  const firstArrived = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const recording: LlmClient = {
    model: chat.model,
    complete: (req) => {
      const onDelta = req.onDelta;
      if (!onDelta) return chat.complete(req);
      return chat.complete({
        ...req,
        onDelta: (piece) => {
          received.push(piece);
          if (received.join('') === FIRST) arrived();
          onDelta(piece);
        },
      });
    },
  };
  const llm = withEmbeddings(recording, createEmbedder({ baseURL: fake.baseURL, apiKey: 'k', model: 'embed-model', timeoutMs: embedTimeoutMs }));
  return { engine: createEngine({ llm, kb: base, log }), received, firstArrived };
}

/** a first turn that embeds every entry, so the turn under test embeds only its question */
async function warm(engine: ReturnType<typeof setup>['engine']): Promise<void> {
  fake.setEmbedder(bagOfWordsEmbedder());
  fake.setResponder(() => ({ kind: 'text', text: 'NO_ANSWER' }));
  const chat = new EngineDriver(engine, support);
  await chat.start();
  await chat.say('klarna');
}

interface Seen {
  deltasWhenEmbedded: number | null;
  receivedWhenEmbedded: string | null;
}

/** the embedder answers only once the engine has received the whole first answer (or after a bound, so a broken build fails rather than hangs) */
function embedAfterFirstAnswer(firstArrived: Promise<void>, seen: Seen, chat: () => EngineDriver, received: string[]): void {
  const bag = bagOfWordsEmbedder();
  fake.setEmbedder(async (inputs) => {
    await Promise.race([firstArrived, new Promise<void>((resolve) => setTimeout(resolve, 10_000))]);
    seen.deltasWhenEmbedded = chat().deltas.length;
    seen.receivedWhenEmbedded = received.join('');
    return bag(inputs);
  });
}

/** each chat request answers by its order: the first with FIRST, any later one with SECOND */
function answerByOrder(): void {
  let n = 0;
  fake.setResponder(() => ({ kind: 'text', text: n++ === 0 ? FIRST : SECOND }));
}

/**
 * A new conversation asks `question` while the fake holds its embedding back until the engine has
 * received the first answer in full; chat requests answer FIRST, then SECOND. `from`: the number
 * of chat requests before the question.
 */
async function askHeld(s: ReturnType<typeof setup>, question: string): Promise<{ chat: EngineDriver; seen: Seen; from: number }> {
  const chat = new EngineDriver(s.engine, support, { stream: true });
  await chat.start();
  const seen: Seen = { deltasWhenEmbedded: null, receivedWhenEmbedded: null };
  embedAfterFirstAnswer(s.firstArrived, seen, () => chat, s.received);
  answerByOrder();
  const from = chats().length;
  s.received.length = 0;
  await chat.say(question);
  return { chat, seen, from };
}

describe('speculative retrieval for a question the offline reader cannot place', () => {
  it('streams the answer before the embedding returns when hybrid ranking keeps to the lexical candidates', async () => {
    const { engine, received, firstArrived } = setup();
    await warm(engine);
    const question = 'Mir wurde die Bestellung doppelt abgebucht!';
    const lexical = retrieve(kb, 'site-1', question, 'de', null, undefined, 10);
    expect(lexical.answer).toBeNull();
    const { chat, seen, from } = await askHeld({ engine, received, firstArrived }, question);
    // the engine had the whole answer from upstream before the question's embedding came back ...
    expect(seen.receivedWhenEmbedded).toBe(FIRST);
    expect(received.join('')).toBe(FIRST);
    // ... and held it from the visitor until then
    expect(seen.deltasWhenEmbedded).toBe(0);
    expect(chats().length - from).toBe(1);
    expect(chat.deltas.map((d) => d.text).join('')).toBe(FIRST);
    expect(chat.lastText).toBe(FIRST);
    // the request carried the best lexical candidates, a few more than an answer needs
    expect(entriesShown(systemOf(chats().at(-1)))).toEqual(lexical.hits.slice(0, 5).map((h) => h.entry.title));
  });

  it('aborts the first request when hybrid ranking picks a passage it lacks: the visitor sees only the second answer', async () => {
    const { engine, received, firstArrived } = setup();
    await warm(engine);
    const question = 'please close my account and remove all my data';
    // keyword search finds several entries; hybrid ranking picks one from below its top 5
    const lexical = retrieve(kb, 'site-1', question, 'en', null, undefined, 10);
    expect(lexical.answer).toBeNull();
    expect(lexical.hits.length).toBeGreaterThanOrEqual(3);
    const { chat, seen, from } = await askHeld({ engine, received, firstArrived }, question);
    expect(seen.deltasWhenEmbedded).toBe(0);
    // the first answer reached the engine in full and was never shown
    expect(seen.receivedWhenEmbedded).toBe(FIRST);
    expect(received.join('')).toBe(FIRST + SECOND);
    const mine = chats().slice(from);
    expect(mine).toHaveLength(2);
    const first = entriesShown(systemOf(mine[0]));
    expect(first).toEqual(lexical.hits.slice(0, 5).map((h) => h.entry.title));
    const asked = entriesShown(systemOf(mine[1]));
    expect(asked).toHaveLength(3);
    expect(asked.some((title) => !first.includes(title))).toBe(true);
    expect(chat.deltas.map((d) => d.text).join('')).toBe(SECOND);
    expect(new Set(chat.deltas.map((d) => d.draftId)).size).toBe(1);
    expect(chat.lastText).toBe(SECOND);
  });

  it('does not speculate on a question with fewer keyword hits than passages: it waits for the embedding and asks once', async () => {
    const { engine } = setup();
    await warm(engine);
    const question = 'do you do a discount for NHS workers?';
    expect(retrieve(kb, 'site-1', question, 'en', null, undefined, 10).hits.map((h) => h.entry.id)).toEqual(['gift-cards']);
    fake.setEmbedder(bagOfWordsEmbedder());
    answerByOrder();
    const chat = new EngineDriver(engine, support, { stream: true });
    await chat.start();
    const from = fake.requests.length;
    await chat.say(question);
    const mine = fake.requests.slice(from).map((r) => (r.path.endsWith('/embeddings') ? 'embed' : 'chat'));
    expect(mine).toEqual(['embed', 'chat']);
    expect(chat.lastText).toBe(FIRST);
  });

  it('carries a small knowledge base whole: hybrid ranking cannot pick a passage the first request lacks', async () => {
    const { engine, received, firstArrived } = setup(5_000, smallKb);
    await warm(engine);
    const question = 'do you do a discount for NHS workers?';
    const { chat, seen, from } = await askHeld({ engine, received, firstArrived }, question);
    expect(seen.receivedWhenEmbedded).toBe(FIRST);
    expect(seen.deltasWhenEmbedded).toBe(0);
    const mine = chats().slice(from);
    expect(mine).toHaveLength(1);
    const shown = entriesShown(systemOf(mine[0]));
    // the one lexical hit first, then every other entry
    expect(shown[0]).toBe('Gift cards and discount codes');
    expect(new Set(shown)).toEqual(new Set(loadKbDir().map((e) => e.title)));
    expect(chat.deltas.map((d) => d.text).join('')).toBe(FIRST);
  });

  it('answers from the lexical candidates when the embedding request fails', async () => {
    const { engine } = setup();
    await warm(engine);
    fake.setEmbedder(() => {
      throw new Error('embedding model crashed');
    });
    answerByOrder();
    const question = 'do you do a discount for NHS workers?';
    const chat = new EngineDriver(engine, support, { stream: true });
    await chat.start();
    const from = chats().length;
    await chat.say(question);
    const mine = chats().slice(from);
    expect(mine).toHaveLength(1);
    expect(entriesShown(systemOf(mine[0]))).toEqual(['Gift cards and discount codes']);
    expect(chat.deltas.map((d) => d.text).join('')).toBe(FIRST);
    expect(chat.lastText).toBe(FIRST);
  });

  it('answers from the lexical candidates when the embedding request times out', async () => {
    const { engine } = setup(300);
    await warm(engine);
    const never = new Promise<void>((resolve) => {
      release = resolve;
    });
    const bag = bagOfWordsEmbedder();
    fake.setEmbedder(async (inputs) => {
      await never;
      return bag(inputs);
    });
    answerByOrder();
    const chat = new EngineDriver(engine, support, { stream: true });
    await chat.start();
    const from = chats().length;
    await chat.say('do you do a discount for NHS workers?');
    expect(chats().slice(from)).toHaveLength(1);
    expect(chat.deltas.map((d) => d.text).join('')).toBe(FIRST);
    expect(chat.lastText).toBe(FIRST);
  });
});

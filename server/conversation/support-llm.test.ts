/**
 * The support answer with an LLM, through the real openai client against the local fake server:
 * the model always sees the best passages (even weak ones), its "don't know" is honoured, it is
 * told the visitor's language, a follow-up carries the previous question, and hybrid search is
 * used when the server answers /v1/embeddings (keyword-only, probed once, when it 404s).
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Flow } from '../../shared/flow.ts';
import { createEmbedder, withEmbeddings } from '../llm/embeddings.ts';
import { bagOfWordsEmbedder, startFakeOpenAI, type FakeOpenAI, type FakeRequest } from '../llm/fake-openai.ts';
import { createOpenAILlm } from '../llm/openai.ts';
import { createLogger } from '../logger.ts';
import { createEngine } from './engine.ts';
import { EngineDriver } from './engine-driver.ts';
import { loadKbDir } from './example-kb.ts';
import { createKnowledgeBase } from './knowledge-base.ts';
import { retrieve } from './kb-retrieval.ts';
import { largeKbEntries } from './kb-test-kit.ts';

const support = Flow.parse(JSON.parse(readFileSync(new URL('../../examples/flows/support.json', import.meta.url), 'utf8')));
const kb = createKnowledgeBase(() => loadKbDir());
const log = createLogger('silent');

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI();
});
afterEach(async () => {
  await fake.close();
});

interface Body {
  messages?: { role: string; content: string }[];
}
const bodyOf = (r: FakeRequest) => r.body as Body;
const chats = () => fake.requests.filter((r) => r.path.endsWith('/chat/completions'));
const lastSystem = () => bodyOf(chats().at(-1) ?? { path: '', body: {} }).messages?.find((m) => m.role === 'system')?.content ?? '';
const lastUsers = () => (bodyOf(chats().at(-1) ?? { path: '', body: {} }).messages ?? []).filter((m) => m.role === 'user').map((m) => m.content);
const entriesShown = (system: string) => [...system.matchAll(/--- Entry \d+: (.+)/g)].map((m) => m[1]);

function llm(embeddings: boolean) {
  const chat = createOpenAILlm({ baseURL: fake.baseURL, apiKey: 'k', model: 'test-model', timeoutMs: 5_000, maxRetries: 0, log });
  return embeddings ? withEmbeddings(chat, createEmbedder({ baseURL: fake.baseURL, apiKey: 'k', model: 'embed-model', timeoutMs: 5_000 })) : chat;
}
/** with embeddings, a knowledge base too large to go whole into a speculative request, so the model sees the fused passages */
const largeKb = createKnowledgeBase(() => largeKbEntries());
const engineWith = (embeddings = false) => createEngine({ llm: llm(embeddings), kb: embeddings ? largeKb : kb, log });

describe('support answers with an LLM', () => {
  it('shows the model the best passages even when the offline path would not answer, and honours its "don\'t know"', async () => {
    const question = 'Is there a discount for nurses?';
    // offline, this near-miss gets "I don't know"; its best passage is still the discount-code article
    expect(retrieve(kb, 'site-1', question, 'en', null).answer).toBeNull();
    fake.setResponder(() => ({ kind: 'text', text: 'NO_ANSWER' }));
    const chat = new EngineDriver(engineWith(), support);
    await chat.start();
    await chat.say(question);
    expect(entriesShown(lastSystem())).toContain('Gift cards and discount codes');
    expect(chat.lastText).toMatch(/don’t know/);
    expect(chat.lastText).not.toContain('NO_ANSWER');
    expect(chat.last.replies[0]?.reply?.options.map((o) => o.value)).toEqual(['yes', 'no']);
  });

  it('answers from a weak passage when the model finds the answer there, in the visitor\'s language', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'Ja, wir liefern auch nach Österreich: 5 bis 8 Werktage, 9,95 £.' }));
    const chat = new EngineDriver(engineWith(), support, { locale: 'en' });
    await chat.start();
    await chat.say('Hallo, liefert ihr eigentlich auch nach Österreich? Und wie lange dauert das ungefähr?');
    const system = lastSystem();
    expect(entriesShown(system)[0]).toBe('Shipping times and costs');
    expect(system).toContain('Write the answer in German');
    // the visitor's words travel only as user content
    expect(system).not.toContain('Österreich? Und');
    expect(lastUsers().at(-1)).toContain('Österreich');
    expect(chat.lastText).toContain('Österreich');
    expect(chat.last.replies[0]?.reply?.options.map((o) => o.label)).toEqual(['Das hat geholfen', 'Ich habe noch eine Frage', 'Mit einer Person sprechen']);
  });

  it('a follow-up is searched with the previous question, and the model sees both turns', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'We only ship to the UK, the EU and the US, so not to Canada yet.' }));
    const chat = new EngineDriver(engineWith(), support);
    await chat.start();
    await chat.say('How much is shipping to Ireland?');
    await chat.say('and to Canada?');
    expect(entriesShown(lastSystem())[0]).toBe('Shipping times and costs');
    expect(lastUsers()).toEqual(expect.arrayContaining(['How much is shipping to Ireland?', 'and to Canada?']));
    expect(chat.lastText).toContain('Canada');
  });

  it('when the model fails and the offline path has no answer either, it says it does not know', async () => {
    fake.setResponder(() => ({ kind: 'status', status: 500 }));
    const chat = new EngineDriver(engineWith(), support);
    await chat.start();
    await chat.say('Can I close my account and delete my data?');
    expect(chat.lastText).toMatch(/don’t know/);
  });
});

describe('hybrid retrieval over /v1/embeddings', () => {
  it('fuses embedding neighbours into the passages when the server offers embeddings, embedding each entry once', async () => {
    fake.setEmbedder(bagOfWordsEmbedder());
    fake.setResponder(() => ({ kind: 'text', text: 'NO_ANSWER' }));
    const chat = new EngineDriver(engineWith(true), support);
    await chat.start();
    const question = 'klarna';
    // keyword search alone finds a single entry for this one word
    expect(kb.search('site-1', question, 3).map((h) => h.entry.id)).toEqual(['payment-methods']);
    await chat.say(question);
    const shown = entriesShown(lastSystem());
    expect(shown[0]).toBe('Payment methods and pricing');
    expect(shown).toHaveLength(3);
    await chat.say('what about a student discount?');
    const embeds = fake.requests.filter((r) => r.path.endsWith('/embeddings')).map((r) => (r.body as { input: string[] }).input.length);
    // first call: the question plus every entry; then only the question
    expect(embeds).toEqual([largeKbEntries().length + 1, 1]);
  });

  it('a question the offline reader already answers streams at once: the answer is the turn\'s first upstream request, still with embedding neighbours', async () => {
    fake.setEmbedder(bagOfWordsEmbedder());
    fake.setResponder(() => ({ kind: 'text', text: 'Choose "Forgot password" on the sign-in page.' }));
    const engine = engineWith(true);
    const first = new EngineDriver(engine, support);
    await first.start();
    // the first question embeds every entry once
    await first.say('klarna');
    const question = 'How do I reset my password?';
    expect(retrieve(kb, 'site-1', question, 'en', null).answer?.entry.id).toBe('password-reset');
    const chat = new EngineDriver(engine, support, { stream: true });
    await chat.start();
    const from = fake.requests.length;
    await chat.say(question);
    const paths = fake.requests.slice(from).map((r) => r.path.split('/').pop());
    expect(paths).toEqual(['completions']);
    const shown = entriesShown(lastSystem());
    expect(shown[0]).toBe('Resetting your password');
    // neighbours from the cached entry vectors, as the question's own embedding would have added
    expect(shown).toHaveLength(3);
    expect(chat.deltas.map((d) => d.text).join('')).toBe('Choose "Forgot password" on the sign-in page.');
  });

  it('a question the offline reader cannot place is embedded while its answer is asked for with the lexical candidates', async () => {
    fake.setEmbedder(bagOfWordsEmbedder());
    fake.setResponder(() => ({ kind: 'text', text: 'NO_ANSWER' }));
    const engine = engineWith(true);
    const chat = new EngineDriver(engine, support);
    await chat.start();
    await chat.say('klarna');
    const question = 'what about a student discount?';
    expect(retrieve(kb, 'site-1', question, 'en', null).answer).toBeNull();
    const from = fake.requests.length;
    await chat.say(question);
    const paths = fake.requests.slice(from).map((r) => r.path.split('/').pop());
    // one embedding; the answer asked with the lexical candidates, and again if hybrid ranking picked a passage they lack
    expect(paths.filter((p) => p === 'embeddings')).toHaveLength(1);
    expect(paths.filter((p) => p === 'completions').length).toBeGreaterThanOrEqual(1);
    expect(entriesShown(lastSystem())).toHaveLength(3);
    expect(chat.lastText).toMatch(/don’t know/);
  });

  it('stays keyword-only when /v1/embeddings answers 404, and asks only once', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'NO_ANSWER' }));
    const chat = new EngineDriver(engineWith(true), support);
    await chat.start();
    await chat.say('klarna');
    expect(entriesShown(lastSystem())).toEqual(['Payment methods and pricing']);
    await chat.say('where is my parcel?');
    await chat.say('how do I return a jumper?');
    expect(fake.requests.filter((r) => r.path.endsWith('/embeddings'))).toHaveLength(1);
    expect(entriesShown(lastSystem())[0]).toBe('Returning an item');
  });
});

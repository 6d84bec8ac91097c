import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Author } from '../../shared/message.ts';
import { createExtractionService } from '../analysis/extraction-service.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../llm/fake-openai.ts';
import { createOpenAILlm } from '../llm/openai.ts';
import { createLogger } from '../logger.ts';
import { openDb } from '../store/db.ts';
import { createStore, type Store } from '../store/index.ts';
import { createDraftService } from './drafts.ts';

const log = createLogger('silent');

/** a visitor, their conversation and the real offline extraction of it */
async function analysed(lines: [Author, string][], who: { name?: string; locale?: string } = {}) {
  const store: Store = createStore(openDb(':memory:'));
  const site = await store.sites.create({ key: 'nw', name: 'Northwind Goods', allowedOrigins: [] });
  const { visitor } = await store.visitors.create(site.id, who.locale ?? null);
  if (who.name) await store.visitors.identify(visitor.id, { externalId: 'u1', name: who.name, email: null, verified: false });
  const c = await store.conversations.create({ siteId: site.id, visitorId: visitor.id, flowId: null });
  for (const [author, text] of lines) await store.messages.append(c.id, { author, text });
  await store.conversations.end(c.id, 'completed');
  await createExtractionService({ extractions: store.extractions, llm: null, log }).handleJob({ conversationId: c.id });
  return { store, conversationId: c.id };
}

const GERMAN_LATE: [Author, string][] = [
  ['bot', 'Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?'],
  ['visitor', '3'],
  ['bot', 'Was sollten wir zuerst verbessern?'],
  ['visitor', 'Die Lieferung kam 9 Tage zu spät, obwohl Expressversand bezahlt war. Ich hatte sie bis Freitag erwartet.'],
  ['visitor', 'Rufen Sie mich bitte an: 0171 2345678'],
];

describe('reply drafts offline (templates filled from the extraction)', () => {
  it('writes to a German detractor in German: name, what went wrong in their words, what they expected, a call-back', async () => {
    const { store, conversationId } = await analysed(GERMAN_LATE, { name: 'Jana', locale: 'de-DE' });
    const draft = await createDraftService({ store, llm: null, log }).draft(conversationId, 'Tobias');
    expect(draft.source).toBe('template');
    expect(draft.lang).toBe('de');
    expect(draft.text).toMatch(/^Hallo Jana,/);
    expect(draft.text).toContain('Es tut mir leid');
    expect(draft.text).toContain('„Die Lieferung kam 9 Tage zu spät');
    expect(draft.text).toContain('unter 0171 2345678 an');
    expect(draft.text).toMatch(/Tobias\nNorthwind Goods$/);
  });

  it.each([
    ['en', [['bot', 'How likely are you to recommend us?'], ['visitor', '2 - my parcel is still not here after two weeks, tracking says lost']] as [Author, string][], /Hello,\n[\s\S]*sorry[\s\S]*Kind regards/],
    ['fr', [['bot', 'Quelle note nous donneriez-vous ?'], ['visitor', 'Franchement 4, la livraison a eu une semaine de retard et personne ne répond au téléphone']] as [Author, string][], /Bonjour,\n[\s\S]*Bien cordialement/],
    ['es', [['bot', '¿Qué probabilidad hay de que nos recomiende?'], ['visitor', 'Un 3, el pedido llegó tarde y la caja estaba rota, esperaba mucho más']] as [Author, string][], /Hola:\n[\s\S]*Un saludo cordial/],
  ])('writes in %s when the customer wrote in it', async (lang, lines, shape) => {
    const { store, conversationId } = await analysed(lines);
    const draft = await createDraftService({ store, llm: null, log }).draft(conversationId, 'Sam');
    expect(draft.lang).toBe(lang);
    expect(draft.text).toMatch(shape);
    expect(draft.text).not.toMatch(/undefined|null|\{/);
  });

  it('an agent may ask for another language', async () => {
    const { store, conversationId } = await analysed(GERMAN_LATE);
    const draft = await createDraftService({ store, llm: null, log }).draft(conversationId, 'Sam', 'en');
    expect(draft.lang).toBe('en');
    expect(draft.text).toMatch(/^Hello,/);
  });
});

describe('reply drafts with an LLM (local fake OpenAI server)', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterAll(() => fake.close());
  const llm = () => createOpenAILlm({ baseURL: fake.baseURL, apiKey: 'test', model: 'test-model', timeoutMs: 5_000, maxRetries: 0, retryBaseMs: 5, log });

  it('sends the transcript and extraction as JSON data in a user message, never in the system prompt, and asks for the customer\'s language', async () => {
    const reply = 'Hallo Jana, es tut mir leid, dass Ihre Expresslieferung neun Tage zu spät kam. Wir erstatten die Expresskosten; Tobias ruft Sie morgen unter 0171 2345678 an.';
    fake.setResponder(() => ({ kind: 'text', text: reply }));
    const { store, conversationId } = await analysed(GERMAN_LATE, { name: 'Jana' });
    const before = fake.requests.length;
    const draft = await createDraftService({ store, llm: llm(), log }).draft(conversationId, 'Tobias');
    expect(draft).toMatchObject({ text: reply, lang: 'de', source: 'llm' });

    const body = fake.requests[before]!.body as { messages: { role: string; content: string }[] };
    const system = body.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n');
    expect(system).toContain('German');
    expect(system).not.toContain('Expressversand');
    expect(system).not.toContain('0171');
    const user = body.messages.find((m) => m.role === 'user')!;
    const data = JSON.parse(user.content) as { transcript: { from: string; text: string }[]; extraction: { expectations: unknown[] } };
    expect(data.transcript.map((t) => t.text)).toContain(GERMAN_LATE[3]![1]);
    expect(Array.isArray(data.extraction.expectations)).toBe(true);
  });

  it('falls back to the template when the model fails', async () => {
    fake.setResponder(() => ({ kind: 'status', status: 500 }));
    const { store, conversationId } = await analysed(GERMAN_LATE, { name: 'Jana' });
    const draft = await createDraftService({ store, llm: llm(), log }).draft(conversationId, 'Tobias');
    expect(draft.source).toBe('template');
    expect(draft.text).toMatch(/^Hallo Jana,/);
  });
});

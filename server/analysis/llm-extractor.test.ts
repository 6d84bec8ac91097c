import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../llm/fake-openai.ts';
import { createOpenAILlm } from '../llm/openai.ts';
import { createExtractionService } from './extraction-service.ts';
import type { LlmExtraction } from './llm-schema.ts';
import { DETRACTOR, seedEnded, shopStore } from './test-fixtures.ts';

const log = createLogger('silent');

const VALID: LlmExtraction = {
  inferredRating: null,
  npsCategory: 'detractor',
  sentiment: { label: 'negative', score: -0.8 },
  topics: [
    { name: 'delivery', score: 0.9 },
    { name: 'Invented topic', score: 0.5 },
  ],
  keyPhrases: ['three weeks'],
  summary: 'The order never arrived and emails went unanswered. The visitor wants a call back.',
  expectations: [{ kind: 'delivery', text: 'order within a week', status: 'unmet' }],
  followUp: { needed: true, reason: 'asked for a call back', urgency: 'high', contact: { email: null, phone: null } },
};

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI();
});
afterEach(async () => {
  await fake.close();
});

function setup() {
  const { store, siteId } = shopStore();
  const llm = createOpenAILlm({ baseURL: fake.baseURL, apiKey: 'test', model: 'test-model', timeoutMs: 5_000, maxRetries: 0, retryBaseMs: 5, log });
  const service = createExtractionService({ extractions: store.extractions, llm, log });
  const id = seedEnded(store, siteId, DETRACTOR);
  return { store, service, id };
}

describe('LLM extractor', () => {
  it('stores valid structured output, keeping facts the server knows and only listed topics', async () => {
    fake.setResponder(() => ({ kind: 'text', text: JSON.stringify(VALID) }));
    const { store, service, id } = setup();
    await service.extract(id);
    const e = store.extractions.get(id)!;
    expect(e).toMatchObject({ extractor: 'llm', fellBack: false, summary: VALID.summary, npsCategory: 'detractor' });
    expect(e.topics).toEqual([{ name: 'Delivery', score: 0.9 }]);
    // the phone number found by pattern fills the model's null
    expect(e.followUp.contact.phone).toBe('+1 415 555 0134');
    expect(e.ratings).toEqual([expect.objectContaining({ questionId: 'nps', value: 2, inferred: false })]);
    expect(e.sentiment.messages).toHaveLength(3);
    expect(fake.requests).toHaveLength(1);
  });

  it('asks with a JSON-schema response format and sends the transcript only as user content', async () => {
    fake.setResponder(() => ({ kind: 'text', text: JSON.stringify(VALID) }));
    const { service, id } = setup();
    await service.extract(id);
    const body = fake.requests[0]!.body as { messages: { role: string; content: string }[]; response_format?: { type: string; json_schema?: { schema?: unknown } } };
    expect(body.response_format?.type).toBe('json_schema');
    expect(body.response_format?.json_schema?.schema).toMatchObject({ type: 'object', additionalProperties: false });
    const system = body.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n');
    expect(system).not.toContain('three weeks');
    expect(body.messages.find((m) => m.role === 'user')?.content).toContain('three weeks');
  });

  it('retries invalid output once and uses the second answer', async () => {
    let n = 0;
    fake.setResponder(() => ({ kind: 'text', text: n++ === 0 ? '{"summary": 42}' : JSON.stringify(VALID) }));
    const { store, service, id } = setup();
    await service.extract(id);
    expect(fake.requests).toHaveLength(2);
    expect(store.extractions.get(id)).toMatchObject({ extractor: 'llm', fellBack: false });
  });

  it('keeps the offline result, marked fellBack, when the output is invalid twice', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'Sure! Here is the analysis: it went badly.' }));
    const { store, service, id } = setup();
    await service.extract(id);
    expect(fake.requests).toHaveLength(2);
    const e = store.extractions.get(id)!;
    expect(e).toMatchObject({ extractor: 'offline', fellBack: true });
    expect(e.followUp).toMatchObject({ needed: true, urgency: 'high', contact: { phone: '+1 415 555 0134' } });
  });

  it('falls back the same way when the endpoint fails', async () => {
    fake.setResponder(() => ({ kind: 'status', status: 500 }));
    const { store, service, id } = setup();
    await service.extract(id);
    expect(store.extractions.get(id)).toMatchObject({ extractor: 'offline', fellBack: true });
  });
});

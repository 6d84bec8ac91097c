import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { startFakeOpenAI, type FakeOpenAI } from './fake-openai.ts';
import { createOpenAILlm } from './openai.ts';
import { LlmError } from './types.ts';

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI();
});
afterEach(async () => {
  await fake.close();
});

const log = createLogger('silent');
const llm = (extra: { timeoutMs?: number; maxRetries?: number; concurrency?: number } = {}) =>
  createOpenAILlm({ baseURL: fake.baseURL, apiKey: 'test', model: 'test-model', timeoutMs: 5_000, retryBaseMs: 5, log, ...extra });
const user = [{ role: 'user' as const, content: 'hello' }];

async function failure(p: Promise<unknown>): Promise<LlmError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LlmError);
  return err as LlmError;
}

describe('createOpenAILlm', () => {
  it('returns the text of a plain completion and sends the model and messages', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'Plain answer.' }));
    expect(await llm().complete({ messages: user })).toBe('Plain answer.');
    expect(fake.requests[0]?.body).toMatchObject({ model: 'test-model', messages: user });
  });

  it('streams deltas in order and returns their concatenation', async () => {
    const text = 'Thanks for your feedback, it helps us a lot!';
    fake.setResponder(() => ({ kind: 'text', text, chunkDelayMs: 2 }));
    const deltas: string[] = [];
    const result = await llm().complete({ messages: user, onDelta: (d) => deltas.push(d) });
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(text);
    expect(result).toBe(text);
    expect(fake.requests[0]?.body).toMatchObject({ stream: true });
  });

  it('asks for strict json_schema structured output', async () => {
    fake.setResponder(() => ({ kind: 'text', text: '{"value":8}' }));
    const schema = { type: 'object', properties: { value: { type: 'number' } }, required: ['value'], additionalProperties: false };
    expect(await llm().complete({ messages: user, responseFormat: { name: 'reading', schema } })).toBe('{"value":8}');
    expect(fake.requests[0]?.body).toMatchObject({ response_format: { type: 'json_schema', json_schema: { name: 'reading', strict: true, schema } } });
  });

  it('retries on 429 and then succeeds', async () => {
    let calls = 0;
    fake.setResponder(() => (++calls <= 2 ? { kind: 'status', status: 429 } : { kind: 'text', text: 'finally' }));
    expect(await llm({ maxRetries: 3 }).complete({ messages: user })).toBe('finally');
    expect(fake.requests).toHaveLength(3);
  });

  it('retries on 5xx but gives up after maxRetries with an http error', async () => {
    fake.setResponder(() => ({ kind: 'status', status: 500 }));
    const err = await failure(llm({ maxRetries: 2 }).complete({ messages: user }));
    expect(err.failure).toBe('http');
    expect(err.status).toBe(500);
    expect(fake.requests).toHaveLength(3);
  });

  it('does not retry a 400', async () => {
    fake.setResponder(() => ({ kind: 'status', status: 400 }));
    expect((await failure(llm().complete({ messages: user }))).failure).toBe('http');
    expect(fake.requests).toHaveLength(1);
  });

  it('maps exhausted 429s to rate_limited', async () => {
    fake.setResponder(() => ({ kind: 'status', status: 429 }));
    expect((await failure(llm({ maxRetries: 1 }).complete({ messages: user }))).failure).toBe('rate_limited');
  });

  it('times out a hanging call, streamed or not', async () => {
    fake.setResponder(() => ({ kind: 'hang' }));
    expect((await failure(llm({ timeoutMs: 100 }).complete({ messages: user }))).failure).toBe('timeout');
    expect((await failure(llm().complete({ messages: user, timeoutMs: 100, onDelta: () => {} }))).failure).toBe('timeout');
  });

  it('times out a stream that stalls between chunks', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'a b c d e f', chunkDelayMs: 400 }));
    const deltas: string[] = [];
    const err = await failure(llm({ timeoutMs: 300 }).complete({ messages: user, onDelta: (d) => deltas.push(d) }));
    expect(err.failure).toBe('timeout');
    // nothing is re-sent after text was already shown
    expect(fake.requests).toHaveLength(1);
  });

  it('maps malformed bodies and non-JSON structured output to malformed', async () => {
    fake.setResponder(() => ({ kind: 'raw', body: '{"choices": [' }));
    expect((await failure(llm().complete({ messages: user }))).failure).toBe('malformed');
    fake.setResponder(() => ({ kind: 'raw', body: 'garbage\n\n', contentType: 'text/event-stream' }));
    expect((await failure(llm().complete({ messages: user, onDelta: () => {} }))).failure).toBe('malformed');
    fake.setResponder(() => ({ kind: 'text', text: 'sure, eight' }));
    const schema = { type: 'object', properties: {}, additionalProperties: false };
    expect((await failure(llm().complete({ messages: user, responseFormat: { name: 'x', schema } }))).failure).toBe('malformed');
  });

  it('maps a refused connection to network', async () => {
    const dead = createOpenAILlm({ baseURL: 'http://127.0.0.1:1/v1', model: 'm', timeoutMs: 2_000, maxRetries: 0, log });
    expect((await failure(dead.complete({ messages: user }))).failure).toBe('network');
  });

  it('stops calling a failing endpoint for a while, then tries again', async () => {
    fake.setResponder(() => ({ kind: 'status', status: 503 }));
    const client = createOpenAILlm({ baseURL: fake.baseURL, model: 'm', timeoutMs: 2_000, maxRetries: 0, circuit: { failures: 2, cooldownMs: 200 }, log });
    await failure(client.complete({ messages: user }));
    await failure(client.complete({ messages: user }));
    expect(fake.requests).toHaveLength(2);
    const refused = await failure(client.complete({ messages: user }));
    expect(refused.message).toMatch(/not calling it/);
    expect(fake.requests).toHaveLength(2);
    fake.setResponder(() => ({ kind: 'text', text: 'back' }));
    await new Promise((r) => setTimeout(r, 250));
    expect(await client.complete({ messages: user })).toBe('back');
  });

  it('holds calls beyond the concurrency limit until a slot frees', async () => {
    let inFlight = 0;
    let peak = 0;
    fake.setResponder(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 30));
      inFlight--;
      return { kind: 'text', text: 'ok' };
    });
    const client = llm({ concurrency: 2 });
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => client.complete({ messages: user })));
    expect(results).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(peak).toBe(2);
  });
});

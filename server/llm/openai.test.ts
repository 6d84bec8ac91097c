import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { pino } from 'pino';
import { rejectLikeReasoningModel, startFakeOpenAI, type FakeOpenAI } from './fake-openai.ts';
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

  it('leaves out validation keywords strict mode rejects (the reply is validated after parsing)', async () => {
    fake.setResponder(() => ({ kind: 'text', text: '{"summary":"x"}' }));
    const schema = { type: 'object', properties: { summary: { type: 'string', minLength: 1 } }, required: ['summary'], additionalProperties: false };
    await llm().complete({ messages: user, responseFormat: { name: 'summary', schema } });
    const sent = (fake.requests[0]?.body as { response_format: { json_schema: { schema: unknown } } }).response_format.json_schema.schema;
    expect(sent).toEqual({ type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'], additionalProperties: false });
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

describe('reasoning models and parameters a server rejects', () => {
  const ask = { messages: user, temperature: 0, maxTokens: 200 };
  const bodyAt = (i: number) => fake.requests[i]?.body as Record<string, unknown>;

  it('sends a known reasoning model max_completion_tokens and no temperature', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'ok' }));
    const client = createOpenAILlm({ baseURL: fake.baseURL, model: 'o3-mini', timeoutMs: 5_000, log });
    expect(await client.complete(ask)).toBe('ok');
    expect(bodyAt(0)).not.toHaveProperty('temperature');
    expect(bodyAt(0)).not.toHaveProperty('max_tokens');
    expect(bodyAt(0).max_completion_tokens).toBeGreaterThanOrEqual(200);
  });

  it('retries once without each parameter a 400 names, and remembers it for the model', async () => {
    fake.setResponder((req) => rejectLikeReasoningModel(req, /^house-reasoner/) ?? { kind: 'text', text: 'answered' });
    const client = createOpenAILlm({ baseURL: fake.baseURL, model: 'house-reasoner-2', timeoutMs: 5_000, maxRetries: 0, log });
    expect(await client.complete(ask)).toBe('answered');
    // max_tokens rejected, then temperature rejected, then answered
    expect(fake.requests.map((r) => r.body)).toHaveLength(3);
    expect(bodyAt(2)).not.toHaveProperty('temperature');
    expect(bodyAt(2)).toHaveProperty('max_completion_tokens');
    // remembered: the next call goes right through
    expect(await client.complete(ask)).toBe('answered');
    expect(fake.requests).toHaveLength(4);
  });

  it('sends the instructions as a developer message to a model that refuses the system role', async () => {
    fake.setResponder((req) => {
      const body = req.body as { messages: { role: string }[] };
      return body.messages.some((m) => m.role === 'system')
        ? { kind: 'status', status: 400, body: JSON.stringify({ error: { message: "Unsupported value: 'messages[0].role' does not support 'system' with this model.", type: 'invalid_request_error' } }) }
        : { kind: 'text', text: 'fine' };
    });
    const client = createOpenAILlm({ baseURL: fake.baseURL, model: 'old-reasoner', timeoutMs: 5_000, maxRetries: 0, log });
    const messages = [{ role: 'system' as const, content: 'Rules.' }, ...user];
    expect(await client.complete({ messages })).toBe('fine');
    expect(bodyAt(1).messages).toEqual([{ role: 'developer', content: 'Rules.' }, ...user]);
  });

  it('reports any other 400 with its status and the server’s own message', async () => {
    fake.setResponder(() => ({
      kind: 'status',
      status: 400,
      body: JSON.stringify({ error: { message: "Invalid schema for response_format 'x': 'required' is missing", type: 'invalid_request_error' } }),
    }));
    const lines: string[] = [];
    const sink = { write: (l: string) => lines.push(l) };
    const client = createOpenAILlm({ baseURL: fake.baseURL, model: 'test-model', timeoutMs: 5_000, log: pino({ level: 'warn' }, sink) });
    const err = await failure(client.complete(ask));
    expect(err.status).toBe(400);
    expect(err.message).toBe("model server answered HTTP 400: Invalid schema for response_format 'x': 'required' is missing");
    expect(fake.requests).toHaveLength(1);
    expect(lines.some((l) => l.includes('model server rejected the request') && l.includes('Invalid schema'))).toBe(true);
  });
});

describe('lanes and deadlines', () => {
  it('a queue of background jobs never delays a live turn', async () => {
    let releaseBackground!: () => void;
    const backgroundGate = new Promise<void>((r) => (releaseBackground = r));
    fake.setResponder(async (req) => {
      const body = req.body as { messages: { content: string }[] };
      if (body.messages[0]?.content === 'job') await backgroundGate;
      return { kind: 'text', text: body.messages[0]?.content ?? '' };
    });
    const client = createOpenAILlm({ baseURL: fake.baseURL, model: 'm', timeoutMs: 5_000, concurrency: 1, backgroundConcurrency: 1, log });
    const jobs = [1, 2, 3].map(() => client.complete({ messages: [{ role: 'user', content: 'job' }], lane: 'background' }));
    expect(await client.complete({ messages: [{ role: 'user', content: 'turn' }] })).toBe('turn');
    // the live turn was answered while the first job still held its lane and two waited
    expect(fake.requests.filter((r) => (r.body as { messages: { content: string }[] }).messages[0]?.content === 'job')).toHaveLength(1);
    releaseBackground();
    expect(await Promise.all(jobs)).toEqual(['job', 'job', 'job']);
  });

  it('the timeout covers the time spent waiting for a slot', async () => {
    fake.setResponder(() => ({ kind: 'hang' }));
    const client = createOpenAILlm({ baseURL: fake.baseURL, model: 'm', timeoutMs: 5_000, concurrency: 1, maxRetries: 0, log });
    const first = client.complete({ messages: user, timeoutMs: 400 });
    const queued = await failure(client.complete({ messages: user, timeoutMs: 100 }));
    expect(queued.failure).toBe('timeout');
    expect(queued.message).toMatch(/no free live slot/);
    // it never reached the server
    expect(fake.requests).toHaveLength(1);
    expect((await failure(first)).failure).toBe('timeout');
  });
});

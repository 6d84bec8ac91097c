/**
 * Time to the first streamed token through our stack (engine -> createOpenAILlm -> openai client)
 * against the upstream's own first-chunk time, read with a raw fetch from the same fake server
 * with the same fixed delay in the same run. The two are interleaved so machine noise hits both.
 */
import { readFileSync } from 'node:fs';
import { Flow } from '../shared/flow.ts';
import { createEngine } from '../server/conversation/engine.ts';
import { testSite } from '../server/conversation/engine-driver.ts';
import { createKnowledgeBase } from '../server/conversation/knowledge-base.ts';
import { startFakeOpenAI } from '../server/llm/fake-openai.ts';
import { createOpenAILlm } from '../server/llm/openai.ts';
import { createLogger } from '../server/logger.ts';
import { median, nowMs, percentile } from './stats.ts';

const UPSTREAM_DELAY_MS = 40;
const WARMUP = 5;
const SAMPLES = 60;

export interface FirstTokenRow {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
  note?: string;
}

export async function rawFirstChunk(baseURL: string): Promise<number> {
  const t0 = nowMs();
  const res = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
    body: JSON.stringify({ model: 'bench', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
  });
  const reader = res.body?.getReader();
  if (!reader) throw new Error('no response body');
  const decoder = new TextDecoder();
  let seen = '';
  let first = Number.NaN;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += decoder.decode(value, { stream: true });
    if (Number.isNaN(first) && seen.includes('"content"')) first = nowMs() - t0;
  }
  if (Number.isNaN(first)) throw new Error('the upstream streamed no content');
  return first;
}

export async function benchFirstToken(opts: { samples?: number; warmup?: number } = {}): Promise<FirstTokenRow[]> {
  const samples = opts.samples ?? SAMPLES;
  const warmup = opts.warmup ?? WARMUP;
  const fake = await startFakeOpenAI(() => ({ kind: 'text', text: 'How likely are you to recommend us to a friend?', delayMs: UPSTREAM_DELAY_MS }));
  try {
    const log = createLogger('silent');
    const llm = createOpenAILlm({ baseURL: fake.baseURL, apiKey: 'bench', model: 'bench', timeoutMs: 10_000, maxRetries: 0, log });
    const engine = createEngine({ llm, kb: createKnowledgeBase(() => []), log });
    const flow = Flow.parse(JSON.parse(readFileSync(new URL('../examples/flows/nps.json', import.meta.url), 'utf8')));
    const site = testSite();

    const viaEngine = async (): Promise<number> => {
      const t0 = nowMs();
      let first = Number.NaN;
      await engine.start({
        site,
        flow,
        conversationId: 'bench',
        state: {},
        history: () => Promise.resolve([]),
        answers: () => Promise.resolve([]),
        locale: 'en',
        onDelta: () => {
          if (Number.isNaN(first)) first = nowMs() - t0;
        },
      });
      if (Number.isNaN(first)) throw new Error('the engine streamed nothing (it fell back to offline)');
      return first;
    };

    for (let i = 0; i < warmup; i++) {
      await rawFirstChunk(fake.baseURL);
      await viaEngine();
    }
    const raw: number[] = [];
    const ours: number[] = [];
    for (let i = 0; i < samples; i++) {
      raw.push(await rawFirstChunk(fake.baseURL));
      ours.push(await viaEngine());
    }
    const make = (name: string, value: number, baseline: number): FirstTokenRow => ({
      name,
      value,
      unit: 'ms',
      baseline,
      ratio: value / baseline,
      note: `raw fetch to the same upstream (${UPSTREAM_DELAY_MS} ms fixed delay)`,
    });
    return [
      make('first token via engine, median', median(ours), median(raw)),
      make('first token via engine, p99', percentile(ours, 99), percentile(raw, 99)),
    ];
  } finally {
    await fake.close();
  }
}

/**
 * Faults on the LLM path: the endpoint down, slow (past the timeout) and answering garbage, for
 * whole surveys through the real server and the real OpenAI client against the local fake
 * server. Every conversation completes (offline rules take over), every extraction lands.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Extraction } from '../../shared/extraction.ts';
import { startFakeOpenAI, type FakeOpenAI, type FakeResponder } from '../llm/fake-openai.ts';
import { connectResult, startRealServer, visitorSocket, type HostileServer } from './kit.ts';
import { driveSurvey } from './survey-driver.ts';
import { until } from './wait.ts';

// whole conversations through the real server: slow on a busy 2-core machine, never timed
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

const open: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const x of open.reverse()) await x.close();
});

const MODES: Record<string, { respond?: FakeResponder; down?: boolean }> = {
  'down (connection refused)': { down: true },
  'failing (503)': { respond: () => ({ kind: 'status', status: 503, body: '{"error":{"message":"overloaded"}}' }) },
  'slow (past the timeout)': { respond: () => ({ kind: 'text', text: 'too late', delayMs: 5_000 }) },
  'hanging': { respond: () => ({ kind: 'hang' }) },
  'garbage': {
    respond: (req) =>
      (req.body as { stream?: boolean }).stream
        ? { kind: 'raw', body: 'data: {not json at all\n\ndata: [DONE]\n\n', contentType: 'text/event-stream' }
        : { kind: 'text', text: '{"sentiment": "very", "ratings": [NaN], "topics": "<|im_end|>' },
  },
};

describe.each(Object.entries(MODES))('the LLM endpoint %s', (_name, mode) => {
  it('every survey completes offline and every extraction lands', async () => {
    const fake: FakeOpenAI = await startFakeOpenAI(mode.respond);
    const baseURL = fake.baseURL;
    if (mode.down) await fake.close();
    else open.push(fake);
    const s: HostileServer = await startRealServer({ PARLEY_LLM: 'openai', OPENAI_BASE_URL: baseURL, OPENAI_API_KEY: 'test-key', PARLEY_LLM_TIMEOUT_MS: '300' });
    try {
      const ids: string[] = [];
      for (let v = 0; v < 3; v++) {
        const sock = visitorSocket(s.server.url);
        expect(await connectResult(sock)).toBeNull();
        await sock.timeout(10_000).emitWithAck('session:hello', { locale: 'en' });
        ids.push(await driveSurvey(s.server, sock, v === 2 ? 'product-feedback' : 'nps', `llm-${v}`));
        sock.close();
      }
      for (const cid of ids) {
        expect((await s.server.store.conversations.get(cid))?.status).toBe('ended');
        const extraction = await until(`the extraction of ${cid}`, async () => await s.server.store.extractions.get(cid), 1200);
        expect(() => Extraction.parse(extraction)).not.toThrow();
        expect(extraction.extractor).toBe('offline');
        for (const m of await s.server.store.messages.list(cid)) if (m.author === 'bot') expect(m.text).not.toMatch(/<\|im_end\|>|NaN|too late/);
      }
      expect(await s.server.store.jobs.listByStatus('dead')).toEqual([]);
    } finally {
      await s.stop();
    }
  });
});

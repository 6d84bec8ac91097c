/**
 * Prompt injection against the LLM path, through the real server and the real OpenAI client
 * against the local fake server: visitor text that tries to become instructions ("ignore previous
 * instructions", fake role markers, JSON mimicking the extraction schema, a message that tries to
 * close the transcript). In every request the fake server received, no visitor text is in a
 * system message, roles stay separate, and the stored extraction still validates.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Extraction } from '../../shared/extraction.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../llm/fake-openai.ts';
import { INJECTION_PAYLOADS } from './payloads.ts';
import { connectResult, startRealServer, visitorSocket, type HostileServer } from './kit.ts';
import { until } from './wait.ts';

// whole conversations through the real server: slow on a busy 2-core machine, never timed
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

interface ChatMessage {
  role: string;
  content: unknown;
}

let fake: FakeOpenAI;
let s: HostileServer;
beforeAll(async () => {
  fake = await startFakeOpenAI((req) => {
    const body = req.body as { response_format?: unknown };
    // a model that "obeyed" the visitor: extraction answers with the visitor's fake JSON
    if (body.response_format) return { kind: 'text', text: INJECTION_PAYLOADS[3] };
    return { kind: 'text', text: 'Thanks for telling me. Could you say a little more?' };
  });
  s = await startRealServer({ PARLEY_LLM: 'openai', OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'test-key', PARLEY_LLM_TIMEOUT_MS: '5000' });
});
afterAll(async () => {
  await s.stop();
  await fake.close();
});

type Ack = { ok: boolean; conversation?: { id: string } };

async function converse(flowId: string, texts: readonly string[], tag: string): Promise<string> {
  const v = visitorSocket(s.server.url);
  expect(await connectResult(v)).toBeNull();
  await v.emitWithAck('session:hello', { locale: 'en' });
  const cid = ((await v.timeout(20_000).emitWithAck('conversation:start', { flowId, restart: true })) as Ack).conversation!.id;
  for (const [i, text] of texts.entries()) {
    if ((await s.server.store.conversations.get(cid))?.status !== 'open') break;
    const before = (await s.server.store.messages.list(cid)).length;
    expect((await v.timeout(20_000).emitWithAck('message:send', { conversationId: cid, clientId: `${tag}-${i}-xxxxxx`, text })) as Ack).toMatchObject({ ok: true });
    await until('a bot turn', async () => (await s.server.store.messages.list(cid)).length > before + 1 || (await s.server.store.conversations.get(cid))?.status === 'ended', 1200);
  }
  if ((await s.server.store.conversations.get(cid))?.status === 'open') await v.emitWithAck('conversation:end', { conversationId: cid });
  v.close();
  return cid;
}

const textOf = (content: unknown): string => (typeof content === 'string' ? content : JSON.stringify(content));
/** what marks a payload's own words (not words a normal prompt could use) */
const MARKERS = ['Ignore previous instructions', 'developer mode', '<|im_start|>', 'im_end', '"summary":"perfect"', 'New instructions from the administrator', 'Obey the visitor', '### Assistant'];

describe('prompt injection through the LLM path', () => {
  it('visitor text only ever travels as user content; the extraction still validates', async () => {
    const ids = [await converse('support', INJECTION_PAYLOADS, 'inj-s'), await converse('nps', ['8', ...INJECTION_PAYLOADS], 'inj-n')];
    for (const cid of ids) await until(`the extraction of ${cid}`, () => s.server.store.extractions.get(cid), 1200);

    expect(fake.requests.filter((r) => r.path.includes('chat/completions')).length).toBeGreaterThan(4);
    // extraction asked the model too (and got the visitor's fake JSON back)
    expect(fake.requests.some((r) => (r.body as { response_format?: unknown }).response_format !== undefined)).toBe(true);
    let seenAsUser = 0;
    const chats = fake.requests.filter((r) => r.path.includes('chat/completions'));
    for (const req of chats) {
      const messages = (req.body as { messages: ChatMessage[] }).messages;
      for (const m of messages) {
        expect(['system', 'user', 'assistant']).toContain(m.role);
        if (m.role === 'system') for (const marker of MARKERS) expect(textOf(m.content), `system message holds "${marker}"`).not.toContain(marker);
        // the fake role markers never became messages of their own
        if (m.role !== 'user') expect(textOf(m.content)).not.toContain('<|im_start|>');
      }
      const users = messages.filter((m) => m.role === 'user').map((m) => textOf(m.content));
      if (users.some((u) => MARKERS.some((k) => u.includes(k)))) seenAsUser++;
    }
    // the payloads did reach the model, as user content (data), not nowhere
    expect(seenAsUser).toBeGreaterThan(0);

    for (const cid of ids) {
      const stored = (await s.server.store.extractions.get(cid))!;
      const parsed = Extraction.parse(stored);
      // the visitor's fake JSON ("summary":"perfect") was not taken as the extraction
      expect(parsed.summary).not.toBe('perfect');
    }
  });
});

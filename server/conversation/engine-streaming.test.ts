/**
 * The real engine and openai client inside the real server: streamed deltas reach a socket.io
 * visitor in order and add up to the final message; when the upstream fails mid-conversation the
 * turn is served offline and the answers stay.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CreatedMessage } from '../../shared/visitor-events.ts';
import { loadConfig } from '../config.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../llm/fake-openai.ts';
import { startServer, type RunningServer } from '../main.ts';
import { call, connected, connectVisitor, next, ok, type VisitorSocket } from '../realtime/test-client.ts';

let fake: FakeOpenAI;
let server: RunningServer;
let dir: string;
let socket: VisitorSocket | undefined;

beforeEach(async () => {
  fake = await startFakeOpenAI();
  dir = mkdtempSync(join(tmpdir(), 'parley-stream-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    PARLEY_DB: join(dir, 'parley.db'),
    PARLEY_LLM: 'openai',
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_API_KEY: 'test',
    PARLEY_LLM_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'silent',
  });
  server = await startServer(config);
});

afterEach(async () => {
  socket?.disconnect();
  await server.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

async function visitor(): Promise<VisitorSocket> {
  const s = connectVisitor(server.url);
  await connected(s);
  ok(await call(s, 'session:hello', { locale: 'en' }));
  return s;
}

describe('streaming through the server', () => {
  it('deltas reach the visitor in order and the final message carries their draftId and text', async () => {
    const phrased = 'Hi again! On a scale from 0 to 10, how likely are you to recommend Northwind Goods to a friend?';
    fake.setResponder(() => ({ kind: 'text', text: phrased, chunkDelayMs: 2 }));
    socket = await visitor();
    const deltas: { draftId: string; text: string }[] = [];
    socket.on('message:delta', (d: { draftId: string; text: string }) => deltas.push(d));
    const final = next<CreatedMessage>(socket, 'message:created', (m) => m.author === 'bot' && m.draftId !== undefined);
    ok(await call(socket, 'conversation:start', { flowId: 'nps' }));
    const message = await final;
    expect(message.text).toBe(phrased);
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.every((d) => d.draftId === message.draftId)).toBe(true);
    expect(deltas.map((d) => d.text).join('')).toBe(phrased);
    expect(message.reply?.options).toHaveLength(11);
  });

  it('an upstream failure mid-conversation is served offline and keeps the answers', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'How likely are you to recommend us?' }));
    socket = await visitor();
    const asked = next<CreatedMessage>(socket, 'message:created', (m) => m.author === 'bot' && m.reply !== null);
    const started = ok(await call(socket, 'conversation:start', { flowId: 'nps' }));
    const conversationId = started.conversation.id;
    expect((await asked).text).toBe('How likely are you to recommend us?');

    fake.setResponder(() => ({ kind: 'status', status: 500 }));
    const reply = next<CreatedMessage>(socket, 'message:created', (m) => m.author === 'bot' && m.text.includes('fix first'));
    ok(await call(socket, 'message:send', { conversationId, clientId: 'client-msg-0001', text: '3', value: '3' }));
    expect((await reply).text).toContain('What should we fix first?');
    expect((await server.store.answers.list(conversationId)).map((a) => [a.questionId, a.value])).toEqual([['nps', 3]]);
  });
});

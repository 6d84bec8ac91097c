/**
 * The server's added latency to the first streamed token, end to end: a visitor's socket.io
 * client sends a support question (`message:send`) to the real server (startServer, OpenAI
 * provider pointed at a local fake upstream with a fixed delay) and waits for the first
 * `message:delta`. The baseline is the upstream's own first-chunk time read with a raw fetch in
 * the same run, interleaved so machine noise hits both alike.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../server/config.ts';
import { startFakeOpenAI } from '../server/llm/fake-openai.ts';
import { createLogger } from '../server/logger.ts';
import { startServer } from '../server/main.ts';
import { call, connectVisitor, connected, next } from '../server/realtime/test-client.ts';
import { rawFirstChunk } from './first-token.ts';
import { row, type BenchRow } from './row.ts';
import { median, nowMs, percentile } from './stats.ts';

const UPSTREAM_DELAY_MS = 40;
const unlimited = { capacity: 1e9, perSecond: 1e9 };

export async function benchFirstTokenSocket(opts: { samples?: number; warmup?: number } = {}): Promise<BenchRow[]> {
  const samples = opts.samples ?? 40;
  const warmup = opts.warmup ?? 3;
  const fake = await startFakeOpenAI(() => ({
    kind: 'text',
    text: 'You can reset your password from the sign-in page: choose "Forgot password" and follow the email.',
    delayMs: UPSTREAM_DELAY_MS,
  }));
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-ft-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    PARLEY_DB: join(dir, 'parley.db'),
    PARLEY_LLM: 'openai',
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_API_KEY: 'bench',
    LOG_LEVEL: 'silent',
  });
  const server = await startServer(config, {
    log: createLogger('silent'),
    limits: { connectionsPerIp: unlimited, eventsPerSocket: unlimited, messagesPerIp: unlimited, messagesPerVisitor: unlimited, startsPerIp: unlimited, startsPerVisitor: unlimited },
  });
  const socket = connectVisitor(server.url);
  try {
    await connected(socket);
    const hello = await call(socket, 'session:hello', {});
    if (!hello.ok) throw new Error(`hello refused: ${hello.error.code}`);
    const through: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < warmup + samples; i++) {
      // a fresh support conversation each time, so every question is a first question
      const started = await call(socket, 'conversation:start', { flowId: 'support', restart: true });
      if (!started.ok) throw new Error(`start refused: ${started.error.code}`);
      const conversationId = started.conversation.id;
      const t0 = nowMs();
      const firstDelta = next<{ conversationId: string }>(socket, 'message:delta', (d) => d.conversationId === conversationId);
      // the whole reply, so it does not overlap the baseline sample
      const reply = next(socket, 'message:created', (m: { conversationId: string; author: string }) => m.conversationId === conversationId && m.author === 'bot');
      const sent = await call(socket, 'message:send', { conversationId, clientId: `bench-ft-${i}-${Date.now()}`, text: 'How do I reset my password?' });
      if (!sent.ok) throw new Error(`send refused: ${sent.error.code}`);
      await firstDelta;
      const mine = nowMs() - t0;
      await reply;
      const theirs = await rawFirstChunk(fake.baseURL);
      if (i >= warmup) {
        through.push(mine);
        raw.push(theirs);
      }
    }
    const note = `raw fetch to the same upstream (${UPSTREAM_DELAY_MS} ms delay)`;
    return [
      row('first token via socket.io + server, median', median(through), 'ms', median(raw), note),
      row('first token via socket.io + server, p99', percentile(through, 99), 'ms', percentile(raw, 99), note),
      row('server added latency to first token, median', median(through) - median(raw), 'ms', null),
      row('server added latency to first token, p99', percentile(through, 99) - percentile(raw, 99), 'ms', 5, 'aim: at most 5 ms'),
    ];
  } finally {
    socket.disconnect();
    await server.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { formatTable } = await import('./table.ts');
  console.log(formatTable(await benchFirstTokenSocket()));
}

/**
 * SIGTERM on the real server process (`server/main.ts`, as `npm start` runs it): it stops
 * accepting at once, finishes the bot turn and the extraction job that are in flight (their LLM
 * calls held open by the local fake server), closes the database cleanly and exits 0.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeReply, type FakeRequest } from '../llm/fake-openai.ts';
import { OWNER, visitorSocket, connectResult } from './kit.ts';
import { until } from './wait.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Ack = { ok: boolean; conversation?: { id: string }; error?: unknown };
const REPLY = 'To reset your password, use the link on the sign-in page; it arrives within a minute.';

describe('SIGTERM', () => {
  it('stops accepting, finishes the in-flight turn and job, closes the database, exits 0', async () => {
    let holding = false;
    const held: { req: FakeRequest; release(r: FakeReply): void }[] = [];
    const fake = await startFakeOpenAI((req) => {
      if (!holding) return { kind: 'text', text: 'Hello! How can I help you today?' };
      return new Promise<FakeReply>((release) => held.push({ req, release }));
    });
    cleanups.push(() => fake.close());
    const dir = mkdtempSync(join(tmpdir(), 'parley-sigterm-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const dbPath = join(dir, 'parley.db');
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        PARLEY_DB: dbPath,
        PARLEY_LLM: 'openai',
        OPENAI_BASE_URL: fake.baseURL,
        OPENAI_API_KEY: 'test-key',
        PARLEY_LLM_TIMEOUT_MS: '60000',
        PARLEY_ADMIN_EMAIL: OWNER.email,
        PARLEY_ADMIN_PASSWORD: OWNER.password,
        PARLEY_PUBLIC_URL: '',
        PARLEY_DEMO_HISTORY: 'false',
        LOG_LEVEL: 'warn',
      },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    let done = false;
    void exited.then(() => (done = true));
    cleanups.push(() => (done ? undefined : child.kill('SIGKILL')));
    const t0 = Date.now();
    const step = (what: string) => process.env.SIGTERM_DEBUG && console.log(`${Date.now() - t0} ms: ${what}`);
    const url = await until('the server to print its URL', () => /health:\s+(http:\/\/\S+)\/healthz/.exec(out)?.[1], 2400);

    step('listening');
    // A: a support chat whose next bot turn will be in flight; B: a survey the visitor ends (its extraction in flight)
    const a = visitorSocket(url);
    const b = visitorSocket(url);
    cleanups.push(() => a.close(), () => b.close());
    for (const s of [a, b]) {
      expect(await connectResult(s)).toBeNull();
      await s.timeout(10_000).emitWithAck('session:hello', { locale: 'en' });
    }
    const convA = ((await a.timeout(20_000).emitWithAck('conversation:start', { flowId: 'support', restart: true })) as Ack).conversation!.id;
    const convB = ((await b.timeout(20_000).emitWithAck('conversation:start', { flowId: 'nps', restart: true })) as Ack).conversation!.id;
    holding = true;
    const botReply = new Promise<{ text: string }>((r) => a.on('message:created', (m: { author: string; text: string }) => m.author === 'bot' && m.text === REPLY && r(m)));
    expect((await a.timeout(10_000).emitWithAck('message:send', { conversationId: convA, clientId: 'sigterm-a-1-xxxx', text: 'How do I reset my password?' })) as Ack).toMatchObject({ ok: true });
    expect((await b.timeout(10_000).emitWithAck('conversation:end', { conversationId: convB })) as Ack).toMatchObject({ ok: true });
    const isExtraction = (r: FakeRequest) => JSON.stringify(r.body).includes('response_format');
    const isTurnOfA = (r: FakeRequest) => !isExtraction(r) && JSON.stringify(r.body).includes('reset my password');
    await until('a held turn and a held extraction', () => held.some((h) => isExtraction(h.req)) && held.some((h) => isTurnOfA(h.req)), 2400);

    step('held');
    child.kill('SIGTERM');
    // it stops accepting new connections at once, while the turn and the job are still in flight
    let refused = false;
    for (let i = 0; i < 200 && !refused; i++) {
      refused = await fetch(`${url}/healthz`).then(
        () => false,
        () => true,
      );
      if (!refused) await new Promise((r) => setTimeout(r, 25));
    }
    step('refused');
    expect(refused).toBe(true);
    expect(done).toBe(false);

    // the LLM answers: the turn completes (the visitor still gets it), the extraction falls back offline
    for (const h of held.splice(0)) h.release(isExtraction(h.req) ? { kind: 'status', status: 503 } : { kind: 'text', text: REPLY });
    holding = false;
    const bounded = <T>(p: Promise<T>, what: string) =>
      Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not happen; server output:\n${out}`)), 60_000))]);
    expect((await bounded(botReply, 'the held turn reaching the visitor')).text).toBe(REPLY);
    expect(await bounded(exited, 'the exit')).toBe(0);

    // closed cleanly: the WAL was checkpointed and removed, and everything in flight is stored
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    const db = new Database(dbPath, { readonly: true });
    cleanups.push(() => db.close());
    const texts = db.prepare<[string], string>('SELECT text FROM messages WHERE conversation_id = ? ORDER BY seq').pluck().all(convA);
    expect(texts.at(-1)).toBe(REPLY);
    expect(db.prepare<[string], number>('SELECT count(*) FROM extractions WHERE conversation_id = ?').pluck().get(convB)).toBe(1);
    expect(db.prepare<[], { status: string }>("SELECT status FROM jobs WHERE kind = 'extract'").all().map((j) => j.status)).toEqual(['done']);
  }, 120_000);
});

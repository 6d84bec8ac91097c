import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/errors.ts';
import type { VisitorAcks, VisitorClientEvents, VisitorServerEvents } from '../../shared/visitor-events.ts';
import { openDb } from '../store/db.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

type VisitorSocket = Socket<VisitorServerEvents, VisitorClientEvents>;

function ok<T extends object>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack;
}

describe('visitor messages survive a crash', () => {
  it('every acked message (and the bot replies around it) is in the database after a SIGKILL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-crash-'));
    dirs.push(dir);
    const dbPath = join(dir, 'parley.db');
    // the real server (group commit, timer checkpoints, offline bot) with rate limits raised
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/parley-server.ts'], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, HOST: '127.0.0.1', PARLEY_DB: dbPath, PARLEY_LLM: 'offline', OPENAI_API_KEY: '', OPENAI_BASE_URL: '', LOG_LEVEL: 'warn' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
    for (let i = 0; i < 600 && !/listening \d+/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    const port = Number(/listening (\d+)/.exec(out)?.[1]);
    expect(port, out).toBeGreaterThan(0);

    const acked: { conversationId: string; clientId: string; seq: number }[] = [];
    const sockets: VisitorSocket[] = [];
    let stop = false;
    const visitor = async (v: number): Promise<void> => {
      const s: VisitorSocket = io(`http://127.0.0.1:${port}/visitor`, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        auth: { siteKey: 'demo' },
        extraHeaders: { origin: 'http://localhost:5173' },
      });
      sockets.push(s);
      ok(await s.timeout(10_000).emitWithAck('session:hello', { locale: 'en' }));
      const started = ok<VisitorAcks['conversation:start']>(await s.timeout(10_000).emitWithAck('conversation:start', { flowId: 'support', restart: true }));
      const conversationId = started.conversation.id;
      for (let i = 0; !stop; i++) {
        const clientId = `crash-${v}-${i}`;
        let ack: Ack<VisitorAcks['message:send']>;
        try {
          ack = await s.timeout(10_000).emitWithAck('message:send', { conversationId, clientId, text: 'How do I reset my password?' });
        } catch {
          return; // the server died with this one in flight: it was never acked
        }
        if (!ack.ok) return;
        acked.push({ conversationId, clientId, seq: ack.message.seq });
      }
    };
    const running = Array.from({ length: 8 }, (_, v) => visitor(v).catch(() => undefined));
    for (let i = 0; i < 3000 && acked.length < 400; i++) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    stop = true;
    expect(await exited, out).toBe('SIGKILL');
    for (const s of sockets) s.disconnect();
    await Promise.all(running);
    expect(acked.length).toBeGreaterThanOrEqual(400);

    const db = openDb(dbPath, { checkpointMs: 0 });
    const find = db.prepare<[string, string], number>('SELECT seq FROM messages WHERE conversation_id = ? AND client_id = ?').pluck();
    const missing = acked.filter((a) => find.get(a.conversationId, a.clientId) !== a.seq);
    expect(missing).toEqual([]);
    // seqs stay gapless: bot replies committed with the visitor messages never leave holes
    const gaps = db
      .prepare<[], { id: string }>('SELECT c.id FROM conversations c WHERE c.last_seq <> (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id)')
      .all();
    expect(gaps).toEqual([]);
    db.close();
  }, 90_000);
});

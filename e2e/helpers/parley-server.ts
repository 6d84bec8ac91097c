/**
 * Runs the real Parley server (server/main.ts) as a child process on a free port with its own
 * temporary database and the offline LLM, the way a user starts it, and stops it with its
 * whole process group so no tsx/esbuild helper outlives a test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { freePort } from './ports.ts';
import { REPO_ROOT } from './paths.ts';

export const ADMIN_EMAIL = 'admin@parley.test';
export const ADMIN_PASSWORD = 'e2e-password-123';

export interface ParleyServer {
  port: number;
  /** what host pages paste into their script tag, e.g. http://localhost:41234 */
  url: string;
  dbPath: string;
  /** everything the server printed, for failure messages */
  output(): string;
  /** a read-only connection to the server's database (WAL lets us read while it writes) */
  openDb(): Database.Database;
  stop(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** how long to wait for /healthz */
  timeoutMs?: number;
}

export async function startParley(opts: StartOptions = {}): Promise<ParleyServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
  const dbPath = join(dir, 'parley.db');
  const url = `http://localhost:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './e2e/helpers/exit-with-parent.mjs', 'server/main.ts'], {
    cwd: REPO_ROOT,
    // its own process group, so stop() can signal it and anything it spawned at once
    detached: true,
    // stdin stays open while this process lives (see exit-with-parent.mjs)
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      PARLEY_DB: dbPath,
      PARLEY_LLM: 'offline',
      PARLEY_PUBLIC_URL: url,
      PARLEY_ADMIN_EMAIL: ADMIN_EMAIL,
      PARLEY_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      ...opts.env,
    },
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));

  const stop = async (): Promise<void> => {
    await killGroup(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(`http://127.0.0.1:${port}/healthz`, child, () => out, opts.timeoutMs ?? 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    port,
    url,
    dbPath,
    output: () => out,
    openDb: () => new Database(dbPath, { readonly: true, fileMustExist: true }),
    stop,
  };
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Parley server exited (${child.exitCode ?? child.signalCode}) before /healthz answered:\n${output()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Parley server did not answer ${url} within ${timeoutMs} ms:\n${output()}`);
}

function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    const force = setTimeout(() => signalGroup(pid, 'SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.stdin?.end();
    signalGroup(pid, 'SIGTERM');
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * A real Redis server for tests: `redis-server` (Debian's `redis-server` package) on a free port in
 * a temp folder, no persistence. `restart()` brings it back on the same port (a Redis outage in the
 * middle of a test). When it cannot start, `startRedis()` throws an Error that says what is missing
 * and how to install it: a test that needs Redis fails loudly, it never skips.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  port: number;
  /** redis://127.0.0.1:PORT */
  url: string;
  /** stop the server (a running test sees the outage); idempotent */
  stop(): Promise<void>;
  /** stop if running, then start again on the same port with an empty data set */
  restart(): Promise<void>;
  /** stop and remove the temp folder */
  close(): Promise<void>;
}

const INSTALL_HINT = 'install it with `apt-get install -y redis-server` (Debian/Ubuntu package; .ci/run does this when missing)';

function findBinary(): string {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) {
    throw new Error(`Redis is needed by this test but \`redis-server\` could not be run (${found.error?.message ?? `exit ${found.status}`}): ${INSTALL_HINT}`);
  }
  return 'redis-server';
}

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** resolves once a PING over TCP answers PONG */
async function pingOnce(port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const sock = connect({ port, host: '127.0.0.1' });
    let buf = '';
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1_000, () => done(false));
    sock.once('error', () => done(false));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      buf += d.toString('utf8');
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG'));
    });
  });
}

export async function startRedis(): Promise<RedisServer> {
  const bin = findBinary();
  const dir = mkdtempSync(join(tmpdir(), 'parley-redis-'));
  const port = await freePort();
  let child: ChildProcess | null = null;

  const launch = async (): Promise<void> => {
    let output = '';
    let exited: string | null = null;
    const proc = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    proc.stdout?.on('data', (d: Buffer) => void (output = (output + d.toString('utf8')).slice(-4_000)));
    proc.stderr?.on('data', (d: Buffer) => void (output = (output + d.toString('utf8')).slice(-4_000)));
    proc.once('error', (err) => void (exited = err.message));
    proc.once('exit', (code, signal) => void (exited ??= `exited with ${signal ?? code}`));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (exited !== null) break;
      if (await pingOnce(port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    proc.kill('SIGKILL');
    child = null;
    throw new Error(
      `Redis is needed by this test but redis-server did not start on port ${port} (${exited ?? 'no answer to PING within 10 s'}): ${output.trim().split('\n').slice(-5).join(' | ') || 'no output'}. If it is not installed, ${INSTALL_HINT}`,
    );
  };

  const stop = async (): Promise<void> => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      proc.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      proc.kill('SIGTERM');
    });
  };

  try {
    await launch();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    async restart() {
      await stop();
      await launch();
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

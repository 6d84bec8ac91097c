/**
 * Child processes for benchmarks: the bare echo server and the real Parley server (offline LLM,
 * temporary database). Each runs in its own process group and is killed with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface Child {
  port: number;
  url: string;
  output(): string;
  /**
   * CPU time (user + system, ms) the server process has used so far, or null where /proc is
   * missing. On shared cores msg/s swings with everyone else's load; CPU per message hardly does.
   */
  cpuMs(): number | null;
  /** resident memory of the server process (KiB), or null where /proc is missing */
  rssKiB(): number | null;
  stop(): Promise<void>;
}

/** VmRSS of a process from /proc/<pid>/status, in KiB (Linux only) */
function processRssKiB(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** utime + stime of a process from /proc/<pid>/stat, in ms (Linux only) */
function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name (which may hold spaces) start after the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    // USER_HZ is 100 on every Linux this runs on
    return Number.isFinite(ticks) ? ticks * 10 : null;
  } catch {
    return null;
  }
}

function spawnTsx(script: string, env: Record<string, string>, nodeArgs: string[] = []): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    cwd: ROOT,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(-pid, s);
    } catch {
      // already gone
    }
  };
  return new Promise((resolve) => {
    const force = setTimeout(() => signal('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.stdin?.end();
    signal('SIGTERM');
  });
}

async function until(check: () => Promise<boolean> | boolean, child: ChildProcess, output: () => string, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited early:\n${output()}`);
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start within ${timeoutMs} ms:\n${output()}`);
}

export async function startEchoServer(): Promise<Child> {
  const { child, output } = spawnTsx('bench/echo-server.ts', {});
  const stop = () => stopGroup(child);
  try {
    await until(() => /listening \d+/.test(output()), child, output, 'echo server');
  } catch (err) {
    await stop();
    throw err;
  }
  const port = Number(/listening (\d+)/.exec(output())![1]);
  return { port, url: `http://127.0.0.1:${port}`, output, cpuMs: () => processCpuMs(child.pid), rssKiB: () => processRssKiB(child.pid), stop };
}

/**
 * BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each Parley server to <dir> when it stops
 * (--cpu-prof is refused in NODE_OPTIONS, so it has to be a node argument).
 */
function profileArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

export async function startParleyServer(env: Record<string, string> = {}): Promise<Child & { dbPath: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const dbPath = join(dir, 'parley.db');
  const { child, output } = spawnTsx('bench/parley-server.ts', {
    HOST: '127.0.0.1',
    PARLEY_DB: dbPath,
    PARLEY_LLM: 'offline',
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
    LOG_LEVEL: 'warn',
    ...env,
  }, profileArgs());
  const stop = async (): Promise<void> => {
    await stopGroup(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await until(() => /listening \d+/.test(output()), child, output, 'Parley server');
  } catch (err) {
    await stop();
    throw err;
  }
  const port = Number(/listening (\d+)/.exec(output())![1]);
  return { port, url: `http://127.0.0.1:${port}`, dbPath, output, cpuMs: () => processCpuMs(child.pid), rssKiB: () => processRssKiB(child.pid), stop };
}

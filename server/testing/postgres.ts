/**
 * A throwaway PostgreSQL server for tests, from Debian's binaries (package `postgresql`).
 *
 * `startPostgres()` runs initdb in a temp folder and starts the server on a free port of
 * 127.0.0.1 (no fsync: nothing here needs to survive a power cut), and returns its URL and a
 * `stop()` that shuts it down and deletes the folder. `initdb` refuses to run as root, so as root
 * the folder belongs to the `postgres` user and the binaries run through `runuser`.
 *
 * A crashed or killed test run must not leave servers behind: `stop()` runs on process exit, and
 * a small watchdog shell stops the server and removes its folder once the process that started
 * it is gone (even after SIGKILL).
 *
 * When the binaries are missing or the server does not start, the error says what is missing and
 * how to install it. Tests never skip because of it.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const INSTALL_HINT = 'install it with "apt-get update && apt-get install -y postgresql" (Debian 12 ships PostgreSQL 15)';

export interface PgServer {
  /** superuser URL of the server's `postgres` database */
  readonly url: string;
  readonly port: number;
  /** the folder holding the data directory, the socket and the log */
  readonly dir: string;
  /** a new empty database (or a copy of `template`); returns its URL */
  createDatabase(name: string, options?: CreateDatabaseOptions): Promise<string>;
  stop(): Promise<void>;
}

export interface CreateDatabaseOptions {
  /** clone this database (it must have no open connections) */
  template?: string;
}

/** Where the binaries are: PARLEY_PG_BIN, else /usr/lib/postgresql/15/bin, else the newest installed. */
export function findPgBin(): string {
  const fromEnv = process.env.PARLEY_PG_BIN;
  if (fromEnv) {
    if (!existsSync(join(fromEnv, 'initdb'))) throw new Error(`PostgreSQL: PARLEY_PG_BIN=${fromEnv} has no initdb in it; unset it or ${INSTALL_HINT}.`);
    return fromEnv;
  }
  const preferred = '/usr/lib/postgresql/15/bin';
  if (existsSync(join(preferred, 'initdb')) && existsSync(join(preferred, 'pg_ctl'))) return preferred;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v) && Number(v) >= 15 && existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest !== undefined) return join(root, newest, 'bin');
  throw new Error(`PostgreSQL server binaries not found (no initdb/pg_ctl in ${preferred}): ${INSTALL_HINT}, then run the tests again.`);
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function postgresUser(): { uid: number; gid: number } {
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) {
    throw new Error(`PostgreSQL: running as root, the server must run as the "postgres" user, which does not exist: ${INSTALL_HINT} (it creates the user).`);
  }
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** run a PostgreSQL binary, as the postgres user when we are root */
function runPg(bin: string, args: string[], timeoutMs = 60_000): Promise<{ stdout: string; stderr: string }> {
  const [file, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return new Promise((resolve, reject) => {
    execFile(file, argv, { timeout: timeoutMs, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${bin} failed (${err.code ?? err.signal ?? 'error'}): ${stderr.trim() || err.message}`));
      else resolve({ stdout, stderr });
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function quoteSh(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Stops the server and removes `dir` once process `pid` is gone. Detached, so it outlives a
 * killed test run; `stop()` kills it when the server was stopped the normal way.
 */
function startWatchdog(pid: number, pgCtl: string, dataDir: string, dir: string): number | undefined {
  const stopCmd = `${isRoot() ? 'runuser -u postgres -- ' : ''}${quoteSh(pgCtl)} -D ${quoteSh(dataDir)} -m immediate -w stop`;
  const script = `while kill -0 ${pid} 2>/dev/null; do sleep 1; done; ${stopCmd} >/dev/null 2>&1; rm -rf ${quoteSh(dir)}`;
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid;
}

function logTail(dir: string): string {
  try {
    return readFileSync(join(dir, 'postgres.log'), 'utf8').trim().split('\n').slice(-8).join('\n');
  } catch {
    return '(no server log)';
  }
}

export interface StartPostgresOptions {
  /** extra `-c name=value` settings */
  settings?: Record<string, string | number>;
  /**
   * Start from a prepared cluster instead of an empty one: the first run with a `key` initialises
   * a cluster, runs `prepare` against it (e.g. create and migrate a template database), stops it
   * and keeps its data folder in the temp dir; later runs with the same key copy that folder,
   * which skips initdb and `prepare`. The key must change whenever what `prepare` does changes.
   */
  seed?: { key: string; prepare(url: string): Promise<void>; /** default: parley-pg-seeds in the temp dir */ cacheDir?: string };
}

const SEED_CACHE = join(tmpdir(), 'parley-pg-seeds');
const SEEDS_KEPT = 4;
/** bump when how a cluster is initialised changes, so older seeds are not reused */
const SEED_FORMAT = 1;

interface Launched extends PgServer {
  /** stop the server but keep its folder (the seed cache takes it) */
  stopKeepingData(): Promise<void>;
}

/** Start a fresh PostgreSQL server on a free port of 127.0.0.1. */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PgServer> {
  const bin = findPgBin();
  const pgCtl = join(bin, 'pg_ctl');
  if (!existsSync(pgCtl)) throw new Error(`PostgreSQL: ${pgCtl} is missing: ${INSTALL_HINT}.`);
  const owner = isRoot() ? postgresUser() : null;
  const seed = options.seed;
  if (!seed) return launch(bin, owner, options.settings, null);

  const key = createHash('sha256').update(`${bin}\n${SEED_FORMAT}\n${seed.key}`).digest('hex').slice(0, 16);
  const cache = seed.cacheDir ?? SEED_CACHE;
  const seedDir = join(cache, key);
  if (!existsSync(join(seedDir, 'data', 'PG_VERSION'))) {
    const building = await launch(bin, owner, options.settings, null);
    try {
      await seed.prepare(building.url);
    } catch (err) {
      await building.stop();
      throw err;
    }
    await building.stopKeepingData();
    mkdirSync(cache, { recursive: true });
    try {
      renameSync(building.dir, seedDir);
    } catch {
      // another run built the same seed first: use theirs
      rmSync(building.dir, { recursive: true, force: true });
    }
    pruneSeeds(cache, key);
  }
  return launch(bin, owner, options.settings, join(seedDir, 'data'));
}

/** keep the few most recently built seeds (other worktrees may use other migrations) */
function pruneSeeds(cache: string, current: string): void {
  try {
    const entries = readdirSync(cache)
      .filter((name) => name !== current)
      .map((name) => ({ name, at: statSync(join(cache, name)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
    for (const old of entries.slice(SEEDS_KEPT - 1)) rmSync(join(cache, old.name), { recursive: true, force: true });
  } catch {
    // another run pruned at the same time
  }
}

async function launch(
  bin: string,
  owner: { uid: number; gid: number } | null,
  extraSettings: Record<string, string | number> | undefined,
  copyFrom: string | null,
): Promise<Launched> {
  const pgCtl = join(bin, 'pg_ctl');
  const dir = mkdtempSync(join(tmpdir(), 'parley-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const dataDir = join(dir, 'data');
  let watchdog: number | undefined;
  let started = false;
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  const killWatchdog = () => {
    if (watchdog === undefined) return;
    try {
      process.kill(watchdog);
    } catch {
      // already gone
    }
    watchdog = undefined;
  };

  const stopNow = (): void => {
    if (started) spawnSync(isRoot() ? 'runuser' : pgCtl, isRoot() ? ['-u', 'postgres', '--', pgCtl, '-D', dataDir, '-m', 'immediate', '-w', 'stop'] : ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], { stdio: 'ignore' });
    started = false;
    removeDir();
  };
  const onExit = (): void => stopNow();

  try {
    if (copyFrom) {
      // cp -a keeps the owner (postgres) and the 0700 mode the server insists on
      await new Promise<void>((resolve, reject) =>
        execFile('cp', ['-a', copyFrom, dataDir], (err, _out, stderr) => (err ? reject(new Error(`PostgreSQL: could not copy the prepared cluster ${copyFrom}: ${stderr || err.message}`)) : resolve())),
      );
    } else {
      await runPg(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C.UTF-8']).catch((err: Error) => {
        throw new Error(`PostgreSQL: initdb could not create a cluster in ${dataDir}: ${err.message}`);
      });
    }
    const settings: Record<string, string | number> = {
      listen_addresses: '127.0.0.1',
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      max_connections: 200,
      ...extraSettings,
    };
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const opts = [`-p ${port}`, `-k ${dir}`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
      try {
        watchdog ??= startWatchdog(process.pid, pgCtl, dataDir, dir);
        started = true;
        process.once('exit', onExit);
        await runPg(pgCtl, ['-D', dataDir, '-l', join(dir, 'postgres.log'), '-o', opts, '-w', '-t', '60', 'start']);
        break;
      } catch (err) {
        process.removeListener('exit', onExit);
        const log = logTail(dir);
        // another process took the port between our probe and the server's bind: try another
        if (attempt < 3 && /could not bind|Address already in use/i.test(log)) continue;
        throw new Error(`PostgreSQL server did not start on port ${port} (folder ${dir}): ${(err as Error).message}\nserver log:\n${log}`);
      }
    }
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    let stopped = false;
    const stop = async (keep: boolean): Promise<void> => {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', onExit);
      // data about to be deleted needs no shutdown checkpoint; a kept one does
      await runPg(pgCtl, ['-D', dataDir, '-m', keep ? 'fast' : 'immediate', '-w', 'stop']).catch(() => undefined);
      started = false;
      killWatchdog();
      if (!keep) removeDir();
    };
    return {
      url,
      port,
      dir,
      createDatabase: (name, opts) => createDatabase(url, name, opts),
      stop: () => stop(false),
      stopKeepingData: () => stop(true),
    };
  } catch (err) {
    process.removeListener('exit', onExit);
    stopNow();
    killWatchdog();
    throw err;
  }
}

let dbCounter = 0;

/**
 * Create a database on the server at `serverUrl` (a superuser URL) and return its URL. The name
 * gets a unique suffix, so test files (and reruns) never collide.
 */
export async function createDatabase(serverUrl: string, name: string, options: CreateDatabaseOptions = {}): Promise<string> {
  const base = name.toLowerCase().replace(/[^a-z0-9_]+/g, '_').slice(0, 30);
  const db = `${base}_${process.pid}_${++dbCounter}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect().catch((err: Error) => {
    throw new Error(`PostgreSQL at ${serverUrl} is not reachable (${err.message}); the test server should have been started by server/testing/global-setup.ts`);
  });
  try {
    const template = options.template === undefined ? '' : ` TEMPLATE ${client.escapeIdentifier(options.template)}`;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(db)}${template}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${db}`;
  return url.toString();
}

/**
 * The message path on PostgreSQL, beside the bare socket.io echo measured in the same run (and
 * the SQLite figures of bench/messaging.ts, which `npm run bench` runs just before this).
 *
 * Starts a real PostgreSQL (server/testing/postgres.ts) and a real Redis (server/testing/redis.ts),
 * then the real Parley server with DATABASE_URL: one process, and two processes sharing the
 * database and REDIS_URL with the visitors split between them. For each: the send -> bot reply
 * round trip (offline bot), the acked loop (the next message as soon as the last one is
 * committed) and the same loop with a bot that never answers, which is the message path alone.
 * Server CPU is the sum over the Parley processes (PostgreSQL's and Redis's own CPU is not in it:
 * it is reported separately, as the database's CPU per message).
 *
 * The test PostgreSQL runs with fsync off and synchronous_commit off (like SQLite's
 * synchronous=NORMAL, a commit does not wait for the disk), so both engines are compared alike.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoopClient } from './closed-loop.ts';
import { measure, measureEcho, meanOf, MESSAGING_DEFAULTS, parleyClients, round2, type Measured, type MessagingOptions } from './messaging.ts';
import { startParleyServer, type Child } from './processes.ts';
import { row, type BenchRow } from './row.ts';
import { migratedTemplateSeed } from '../server/testing/migrated-template.ts';
import { createDatabase, startPostgres, type PgServer } from '../server/testing/postgres.ts';
import { startRedis, type RedisServer } from '../server/testing/redis.ts';

export const MESSAGING_PG_DEFAULTS: MessagingOptions = MESSAGING_DEFAULTS;

/** a migrated database every run clones, so the servers under test start without migrating */
const TEMPLATE_DB = 'parley_bench_template';

/** one Parley instance, or several sharing one database (and Redis) */
interface Instances {
  urls: string[];
  cpuMs(): number | null;
  stop(): Promise<void>;
}

async function startInstances(count: number, env: Record<string, string>): Promise<Instances> {
  // the first one alone: on an empty database it migrates and creates the demo site, which two
  // instances starting together on a fresh database still race for (duplicate key "demo")
  const first = await startParleyServer(env);
  const others = await Promise.allSettled(Array.from({ length: count - 1 }, () => startParleyServer(env)));
  const started: PromiseSettledResult<Child>[] = [{ status: 'fulfilled', value: first }, ...others];
  const children = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stop = async (): Promise<void> => {
    await Promise.all(children.map((c) => c.stop()));
  };
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  }
  return {
    urls: children.map((c) => c.url),
    cpuMs: () => sumCpu(children),
    stop,
  };
}

function sumCpu(children: readonly Child[]): number | null {
  let total = 0;
  for (const c of children) {
    const ms = c.cpuMs();
    if (ms === null) return null;
    total += ms;
  }
  return total;
}

/** visitors split evenly across the instances (the first ones get one more when it does not divide) */
async function splitClients(urls: readonly string[], n: number, untilReply: boolean): Promise<{ clients: LoopClient[]; close(): void }> {
  const parts = await Promise.all(urls.map((url, i) => parleyClients(url, Math.floor(n / urls.length) + (i < n % urls.length ? 1 : 0), untilReply)));
  return { clients: parts.flatMap((p) => p.clients), close: () => parts.forEach((p) => p.close()) };
}

/** utime + stime (and, with `children`, cutime + cstime of reaped children) of a process, in ms */
function statCpuMs(pid: string, children: boolean): number {
  const stat = readFileSync(join('/proc', pid, 'stat'), 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]) + (children ? Number(fields[13]) + Number(fields[14]) : 0);
  return ticks * 10;
}

/**
 * CPU time (ms) of our PostgreSQL cluster (postmaster, its live backends, and the backends that
 * already exited) plus our Redis, from /proc; null without /proc.
 */
function databaseCpuMs(pgServer: PgServer, redisPort: number): () => number | null {
  return () => {
    try {
      const postmaster = readFileSync(join(pgServer.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]!.trim();
      let total = statCpuMs(postmaster, true);
      for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
        try {
          const stat = readFileSync(join('/proc', pid, 'stat'), 'utf8');
          const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
          if (ppid === postmaster) total += statCpuMs(pid, false);
          else if (readFileSync(join('/proc', pid, 'cmdline'), 'utf8').startsWith(`redis-server 127.0.0.1:${redisPort}`)) total += statCpuMs(pid, false);
        } catch {
          // gone meanwhile
        }
      }
      return total;
    } catch {
      return null;
    }
  };
}

interface Figures {
  acked: Measured;
  silent: Measured;
  roundTrip: Measured;
  /** PostgreSQL's (and Redis's) CPU per message in the silent loop, µs */
  dbCpuUsPerMsg: number | null;
}

async function measureSetup(count: number, pgServer: PgServer, redis: RedisServer | null, o: MessagingOptions, dbCpuMs: () => number | null): Promise<Figures> {
  const env = async (): Promise<Record<string, string>> => ({
    DATABASE_URL: await createDatabase(pgServer.url, `bench_${count}`, { template: TEMPLATE_DB }),
    ...(redis ? { REDIS_URL: redis.url } : {}),
  });
  // both sets start together (a server's start is most of this benchmark's time); the silent
  // one idles until the offline one has been measured and stopped
  const [offlineStart, quietStart] = await Promise.allSettled([
    env().then((e) => startInstances(count, e)),
    env().then((e) => startInstances(count, { ...e, BENCH_ENGINE: 'silent' })),
  ]);
  if (offlineStart.status === 'rejected' || quietStart.status === 'rejected') {
    for (const s of [offlineStart, quietStart]) if (s.status === 'fulfilled') await s.value.stop();
    const failed = offlineStart.status === 'rejected' ? offlineStart : (quietStart as PromiseRejectedResult);
    throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  }
  const offline = offlineStart.value;
  const quiet = quietStart.value;
  let acked: Measured;
  let roundTrip: Measured;
  try {
    // round trips first: the ack-only loop leaves a backlog of bot turns behind it
    roundTrip = await measure(() => splitClients(offline.urls, o.clients, true), o, offline.cpuMs);
    acked = await measure(() => splitClients(offline.urls, o.clients, false), o, offline.cpuMs);
  } catch (err) {
    await quiet.stop();
    throw err;
  } finally {
    await offline.stop();
  }
  let silent: Measured;
  let dbCpuUsPerMsg: number | null = null;
  try {
    const dbBefore = dbCpuMs();
    silent = await measure(() => splitClients(quiet.urls, o.clients, false), o, quiet.cpuMs);
    const dbAfter = dbCpuMs();
    // the warm-up's messages are in the database's figure too
    if (dbBefore !== null && dbAfter !== null && silent.ok > 0) dbCpuUsPerMsg = ((dbAfter - dbBefore) * 1000) / (silent.ok + WARMUP_MESSAGES);
  } finally {
    await quiet.stop();
  }
  return { acked, silent, roundTrip, dbCpuUsPerMsg };
}

/** bench/messaging.ts's warm-up count (its loop runs that many before measuring) */
const WARMUP_MESSAGES = 200;

export async function benchMessagingPostgres(o: MessagingOptions = MESSAGING_PG_DEFAULTS): Promise<BenchRow[]> {
  const pgServer = await startPostgres({ seed: migratedTemplateSeed(TEMPLATE_DB) });
  let redis: RedisServer | null = null;
  try {
    redis = await startRedis();
    const dbCpuMs = databaseCpuMs(pgServer, redis.port);
    // the echo runs before and after, as in bench/messaging.ts: the machine's speed drifts
    const echoBefore = await measureEcho(o);
    const one = await measureSetup(1, pgServer, null, o, dbCpuMs);
    const two = await measureSetup(2, pgServer, redis, o, dbCpuMs);
    const echoAfter = await measureEcho(o);
    const base = meanOf(echoBefore, echoAfter);
    for (const [what, f] of [['1 instance', one], ['2 instances', two]] as const) {
      for (const [loop, r] of [['acked', f.acked], ['silent bot', f.silent], ['until reply', f.roundTrip]] as const) {
        if (r.failed > 0) console.warn(`messaging on PostgreSQL (${what}, ${loop}): ${r.failed} sends failed, first: ${r.firstError}`);
      }
    }
    const label = `${o.clients} clients`;
    return [
      row(`socket.io echo+ack (${label}, PostgreSQL run)`, Math.round(base.perSecond), 'msg/s', null, 'baseline (mean of 2 runs)'),
      ...setupRows('PostgreSQL', one, base, label),
      ...setupRows('PostgreSQL, 2 instances + Redis', two, base, label),
    ];
  } finally {
    await redis?.close();
    await pgServer.stop();
  }
}

function setupRows(engine: string, f: Figures, base: Measured, label: string): BenchRow[] {
  const echoCpu = base.cpuUsPerMsg === null ? null : round2(base.cpuUsPerMsg);
  const p = `parley message:send on ${engine}`;
  return [
    row(`${p}, silent bot (${label})`, Math.round(f.silent.perSecond), 'msg/s', Math.round(base.perSecond), 'echo'),
    ...(f.silent.cpuUsPerMsg === null || echoCpu === null ? [] : [row(`${p}, silent bot server CPU per msg`, round2(f.silent.cpuUsPerMsg), 'us', echoCpu, 'echo CPU per msg')]),
    ...(f.dbCpuUsPerMsg === null || echoCpu === null ? [] : [row(`${p}, silent bot database CPU per msg`, round2(f.dbCpuUsPerMsg), 'us', echoCpu, 'echo CPU per msg')]),
    row(`${p} (${label})`, Math.round(f.acked.perSecond), 'msg/s', Math.round(base.perSecond), 'echo'),
    ...(f.acked.cpuUsPerMsg === null || echoCpu === null ? [] : [row(`${p} server CPU per msg`, round2(f.acked.cpuUsPerMsg), 'us', echoCpu, 'echo CPU per msg')]),
    row(`${p} p50`, round2(f.acked.p50), 'ms', round2(base.p50), 'echo p50'),
    row(`${p} p99`, round2(f.acked.p99), 'ms', round2(base.p99), 'echo p99'),
    row(`parley send -> bot reply on ${engine} p50`, round2(f.roundTrip.p50), 'ms', round2(base.p50), 'echo p50'),
    row(`parley send -> bot reply on ${engine} p99`, round2(f.roundTrip.p99), 'ms', round2(base.p99), 'echo p99'),
  ];
}

// `npx tsx bench/messaging-postgres.ts`: this benchmark alone
if (import.meta.url === `file://${process.argv[1]}`) {
  const { formatTable } = await import('./table.ts');
  console.log(formatTable(await benchMessagingPostgres()));
}

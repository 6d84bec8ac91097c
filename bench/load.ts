/**
 * Many visitors at a human pace, and many idle ones, each beside the bare socket.io echo in the
 * same run:
 * - `benchLoad`: N visitors (default 1,000) each sending one message a second for a few seconds
 *   (open loop: a slow answer does not slow the senders down); round trip = until the ack.
 * - `benchIdleConnections`: N connected visitors (default 5,000, after session:hello) doing
 *   nothing; the server's resident memory per connection.
 * Loopback only, bounded in count and time; every server is a child process stopped at the end.
 */
import { io, type Socket } from 'socket.io-client';
import { echoClients, parleyClients } from './messaging.ts';
import type { LoopClient } from './closed-loop.ts';
import { startEchoServer, startParleyServer, type Child } from './processes.ts';
import { row, type BenchRow } from './row.ts';
import { nowMs, percentile } from './stats.ts';

const ORIGIN = 'http://localhost:5173';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface OpenLoopResult {
  ok: number;
  failed: number;
  p50: number;
  p99: number;
  cpuUsPerMsg: number | null;
}

/** each client sends once every `everyMs`, at its own offset, for `seconds` */
async function openLoop(clients: LoopClient[], seconds: number, everyMs: number, cpuMs: () => number | null): Promise<OpenLoopResult> {
  const latencies: number[] = [];
  let failed = 0;
  let n = 0;
  const pending: Promise<void>[] = [];
  const before = cpuMs();
  const t0 = nowMs();
  await Promise.all(
    clients.map(async (c, k) => {
      await sleep((k / clients.length) * everyMs);
      for (let round = 0; round < seconds; round++) {
        const due = t0 + (k / clients.length) * everyMs + round * everyMs;
        const wait = due - nowMs();
        if (wait > 0) await sleep(wait);
        const t = nowMs();
        pending.push(
          c.send(n++).then(
            () => void latencies.push(nowMs() - t),
            () => void failed++,
          ),
        );
      }
    }),
  );
  await Promise.all(pending);
  const after = cpuMs();
  return {
    ok: latencies.length,
    failed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuUsPerMsg: before === null || after === null || latencies.length === 0 ? null : ((after - before) * 1000) / latencies.length,
  };
}

export async function benchLoad(opts: { visitors?: number; seconds?: number } = {}): Promise<BenchRow[]> {
  const visitors = opts.visitors ?? 1_000;
  const seconds = opts.seconds ?? 8;
  const run = async (server: Child, make: (url: string, n: number) => Promise<{ clients: LoopClient[]; close(): void }>) => {
    const { clients, close } = await make(server.url, visitors);
    try {
      // warm-up at the same pace: each conversation's first answers and the JIT cost more than
      // the steady state (measured: the first 5 s at 2-3x the CPU per message of the next 5 s)
      await openLoop(clients, 3, 1_000, server.cpuMs);
      return await openLoop(clients, seconds, 1_000, server.cpuMs);
    } finally {
      close();
    }
  };
  const echo = await startEchoServer();
  let e: OpenLoopResult;
  try {
    e = await run(echo, echoClients);
  } finally {
    await echo.stop();
  }
  const parley = await startParleyServer();
  let p: OpenLoopResult;
  try {
    p = await run(parley, (url, n) => parleyClients(url, n));
  } finally {
    await parley.stop();
  }
  if (p.failed > 0) console.warn(`load: ${p.failed} Parley sends failed`);
  const label = `${visitors.toLocaleString('en')} visitors at 1 msg/s`;
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return [
    row(`parley message:send round trip p50 (${label})`, r2(p.p50), 'ms', r2(e.p50), 'echo p50, same load'),
    row(`parley message:send round trip p99 (${label})`, r2(p.p99), 'ms', r2(e.p99), 'echo p99, same load'),
  ];
}

function connectedSocket(s: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', (err) => reject(new Error(`connect failed: ${err.message}`)));
  });
}

/** server RSS growth per connection (KiB) once `n` sockets made by `open` are connected and settled */
async function memoryPerConnection(server: Child, n: number, open: () => Promise<Socket>): Promise<number | null> {
  await sleep(1_000);
  const before = server.rssKiB();
  const sockets: Socket[] = [];
  try {
    for (let i = 0; i < n; i += 250) sockets.push(...(await Promise.all(Array.from({ length: Math.min(250, n - i) }, open))));
    await sleep(2_000);
    const after = server.rssKiB();
    return before === null || after === null ? null : (after - before) / n;
  } finally {
    for (const s of sockets) s.disconnect();
  }
}

export async function benchIdleConnections(opts: { connections?: number } = {}): Promise<BenchRow[]> {
  const n = opts.connections ?? 5_000;
  const echo = await startEchoServer();
  let e: number | null;
  try {
    e = await memoryPerConnection(echo, n, async () => {
      const s = io(`${echo.url}/echo`, { transports: ['websocket'], forceNew: true, reconnection: false });
      await connectedSocket(s);
      return s;
    });
  } finally {
    await echo.stop();
  }
  const parley = await startParleyServer();
  let p: number | null;
  try {
    p = await memoryPerConnection(parley, n, async () => {
      const s = io(`${parley.url}/visitor`, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { siteKey: 'demo' }, extraHeaders: { origin: ORIGIN } });
      await connectedSocket(s);
      const hello: { ok: boolean } = await s.timeout(30_000).emitWithAck('session:hello', { locale: 'en' });
      if (!hello.ok) throw new Error('session:hello refused');
      return s;
    });
  } finally {
    await parley.stop();
  }
  if (p === null || e === null) return [];
  const r1 = (x: number) => Math.round(x * 10) / 10;
  return [row(`server memory per idle visitor connection (${n.toLocaleString('en')})`, r1(p), 'KiB', r1(e), 'bare socket.io echo')];
}

// `npx tsx bench/load.ts [load|idle]`: these benchmarks alone
if (import.meta.url === `file://${process.argv[1]}`) {
  const { formatTable } = await import('./table.ts');
  const which = process.argv[2];
  const rows = [...(which !== 'idle' ? await benchLoad() : []), ...(which !== 'load' ? await benchIdleConnections() : [])];
  console.log(formatTable(rows));
}

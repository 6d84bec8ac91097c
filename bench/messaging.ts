/**
 * Messaging throughput and latency: a bare socket.io echo with acks (the floor of what any
 * socket.io server can do here) against Parley's /visitor message:send through the real server,
 * which validates, commits to SQLite before acking and then runs the offline bot turn.
 * Both are closed loops over loopback with the same number of clients, count and time limits.
 */
import { io, type Socket } from 'socket.io-client';
import type { Ack } from '../shared/errors.ts';
import type { Message } from '../shared/message.ts';
import type { VisitorAcks, VisitorClientEvents, VisitorServerEvents } from '../shared/visitor-events.ts';
import { loadConfig } from '../server/config.ts';
import { runClosedLoop, type LoopClient, type LoopResult } from './closed-loop.ts';
import { sqliteMessageFloorUs } from './message-floor.ts';
import { startEchoServer, startParleyServer } from './processes.ts';
import { row, type BenchRow } from './row.ts';

export interface MessagingOptions {
  clients: number;
  maxMessages: number;
  maxMs: number;
}

export const MESSAGING_DEFAULTS: MessagingOptions = { clients: 50, maxMessages: 20_000, maxMs: 4_000 };
/** an origin the demo site allows (any http://localhost port) */
const ORIGIN = 'http://localhost:5173';
const ACK_TIMEOUT_MS = 10_000;
const WARMUP = 200;

type VisitorSocket = Socket<VisitorServerEvents, VisitorClientEvents>;

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(new Error(`connect failed: ${err.message}`)));
  });
}

function unwrap<T extends object>(ack: Ack<T>, what: string): T {
  if (!ack.ok) throw new Error(`${what}: ${ack.error.code} ${ack.error.message}`);
  return ack;
}

export async function echoClients(url: string, n: number): Promise<{ clients: LoopClient[]; close(): void }> {
  const sockets = Array.from({ length: n }, () => io(`${url}/echo`, { transports: ['websocket'], forceNew: true, reconnection: false }));
  await Promise.all(sockets.map(connected));
  const clients = sockets.map((s, c) => ({
    async send(i: number): Promise<void> {
      await s.timeout(ACK_TIMEOUT_MS).emitWithAck('message:send', { conversationId: `c${c}`, clientId: `m-${c}-${i}`, text: 'Hello there, how do I reset my password?' });
    },
  }));
  return { clients, close: () => sockets.forEach((s) => s.disconnect()) };
}

async function startConversation(s: VisitorSocket): Promise<string> {
  const res = unwrap<VisitorAcks['conversation:start']>(
    await s.timeout(ACK_TIMEOUT_MS).emitWithAck('conversation:start', { flowId: 'support', restart: true }),
    'conversation:start',
  );
  return res.conversation.id;
}

/** Tracks the latest bot message per conversation, so a sender can wait for the reply to its message. */
function botReplies(s: VisitorSocket): (conversationId: string, afterSeq: number) => Promise<void> {
  const latest = new Map<string, number>();
  const waiters = new Set<{ conversationId: string; afterSeq: number; done: () => void }>();
  s.on('message:created', (m: Message) => {
    if (m.author !== 'bot') return;
    latest.set(m.conversationId, Math.max(m.seq, latest.get(m.conversationId) ?? 0));
    for (const w of waiters) if (w.conversationId === m.conversationId && m.seq > w.afterSeq) w.done();
  });
  return (conversationId, afterSeq) =>
    new Promise((resolve, reject) => {
      if ((latest.get(conversationId) ?? 0) > afterSeq) return resolve();
      const w = {
        conversationId,
        afterSeq,
        done: () => {
          clearTimeout(timer);
          waiters.delete(w);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(w);
        reject(new Error(`no bot reply within ${ACK_TIMEOUT_MS} ms`));
      }, ACK_TIMEOUT_MS);
      waiters.add(w);
    });
}

/**
 * Parley visitors. `untilReply` false: the next message goes as soon as the previous one is acked
 * (committed); true: only once the bot has answered it, as a person chatting would.
 */
export async function parleyClients(url: string, n: number, untilReply = false): Promise<{ clients: LoopClient[]; close(): void }> {
  const sockets: VisitorSocket[] = Array.from({ length: n }, () =>
    io(`${url}/visitor`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { siteKey: 'demo' },
      extraHeaders: { origin: ORIGIN },
    }),
  );
  await Promise.all(sockets.map(connected));
  const clients = await Promise.all(
    sockets.map(async (s, c): Promise<LoopClient> => {
      unwrap(await s.timeout(ACK_TIMEOUT_MS).emitWithAck('session:hello', { locale: 'en' }), 'session:hello');
      let conversationId = await startConversation(s);
      const replyTo = botReplies(s);
      const sendOnce = async (i: number) =>
        s.timeout(ACK_TIMEOUT_MS).emitWithAck('message:send', { conversationId, clientId: `bench-${c}-${i}`, text: 'How do I reset my password?' });
      return {
        async send(i: number): Promise<void> {
          let ack = await sendOnce(i);
          // a flow may finish mid-run; carry on in a fresh conversation as a visitor would
          if (!ack.ok && ack.error.code === 'conversation_ended') {
            conversationId = await startConversation(s);
            ack = await sendOnce(i);
          }
          const { message } = unwrap(ack, 'message:send');
          if (untilReply) await replyTo(conversationId, message.seq);
        },
      };
    }),
  );
  return { clients, close: () => sockets.forEach((s) => s.disconnect()) };
}

/** a loop's figures plus the server's CPU time per message in it (µs; null without /proc) */
export type Measured = LoopResult & { cpuUsPerMsg: number | null };

export async function measure(make: () => Promise<{ clients: LoopClient[]; close(): void }>, o: MessagingOptions, cpuMs: () => number | null): Promise<Measured> {
  const { clients, close } = await make();
  try {
    await runClosedLoop(clients, { maxMessages: WARMUP, maxMs: o.maxMs });
    const before = cpuMs();
    const r = await runClosedLoop(clients, { maxMessages: o.maxMessages, maxMs: o.maxMs });
    const after = cpuMs();
    const cpuUsPerMsg = before === null || after === null || r.ok === 0 ? null : ((after - before) * 1000) / r.ok;
    return { ...r, cpuUsPerMsg };
  } finally {
    close();
  }
}

export async function measureEcho(o: MessagingOptions): Promise<Measured> {
  const echo = await startEchoServer();
  try {
    return await measure(() => echoClients(echo.url, o.clients), o, echo.cpuMs);
  } finally {
    await echo.stop();
  }
}

/** the mean of two echo runs, for rates and CPU; the p50/p99 of the first */
export function meanOf(a: Measured, b: Measured): Measured {
  const cpuUsPerMsg = a.cpuUsPerMsg === null || b.cpuUsPerMsg === null ? null : (a.cpuUsPerMsg + b.cpuUsPerMsg) / 2;
  return { ...a, perSecond: (a.perSecond + b.perSecond) / 2, cpuUsPerMsg };
}

export async function benchMessaging(o: MessagingOptions = MESSAGING_DEFAULTS): Promise<BenchRow[]> {
  // the echo runs before and after Parley's: on shared cores the machine's speed drifts during a
  // run, and one echo figure taken a minute earlier can make a ratio look better or worse than it is
  const echoBefore = await measureEcho(o);
  const parley = await startParleyServer();
  let p: Measured;
  let rt: Measured;
  try {
    // round trips first: the ack-only loop leaves a backlog of bot turns behind it
    rt = await measure(() => parleyClients(parley.url, o.clients, true), o, parley.cpuMs);
    p = await measure(() => parleyClients(parley.url, o.clients), o, parley.cpuMs);
  } finally {
    await parley.stop();
  }
  // the same message path with an engine that never answers: what the engine's work costs
  const quiet = await startParleyServer({ BENCH_ENGINE: 'silent' });
  let q: Measured;
  try {
    q = await measure(() => parleyClients(quiet.url, o.clients), o, quiet.cpuMs);
  } finally {
    await quiet.stop();
  }
  // power-loss durability (PARLEY_DB_SYNC=full: every commit fsynced), same loop as `p`, when
  // this build has the setting
  let f: Measured | null = null;
  if (dbSyncSetting()) {
    const full = await startParleyServer({ PARLEY_DB_SYNC: 'full' });
    try {
      f = await measure(() => parleyClients(full.url, o.clients), o, full.cpuMs);
    } finally {
      await full.stop();
    }
  } else console.warn('messaging: no PARLEY_DB_SYNC setting in this build; synchronous=FULL not measured');
  const echoAfter = await measureEcho(o);
  const base = meanOf(echoBefore, echoAfter);
  // what SQLite alone costs per message: with the echo's CPU, the least a durable message can cost
  const floorUs = sqliteMessageFloorUs();
  for (const [what, r] of [['acked', p], ['until reply', rt], ['silent engine', q], ['synchronous=FULL', f]] as const) {
    if (r && r.failed > 0) console.warn(`messaging (${what}): ${r.failed} Parley sends failed, first: ${r.firstError}`);
  }
  const label = `${o.clients} clients`;
  return [
    row(`socket.io echo+ack (${label})`, Math.round(base.perSecond), 'msg/s', null, 'baseline (mean of 2 runs)'),
    row('socket.io echo+ack, run after Parley', Math.round(echoAfter.perSecond), 'msg/s', Math.round(echoBefore.perSecond), 'run before (drift)'),
    row(`parley message:send (${label})`, Math.round(p.perSecond), 'msg/s', Math.round(base.perSecond), 'echo'),
    row('parley message:send p50', round2(p.p50), 'ms', round2(base.p50), 'echo p50'),
    row('parley message:send p99', round2(p.p99), 'ms', round2(base.p99), 'echo p99'),
    row(`parley message:send, silent bot (${label})`, Math.round(q.perSecond), 'msg/s', Math.round(base.perSecond), 'echo'),
    row('parley message:send, silent bot p99', round2(q.p99), 'ms', round2(base.p99), 'echo p99'),
    ...(f ? [row(`parley message:send, PARLEY_DB_SYNC=full (${label})`, Math.round(f.perSecond), 'msg/s', Math.round(p.perSecond), 'same with synchronous=NORMAL')] : []),
    row(`parley send -> bot reply (${label})`, Math.round(rt.perSecond), 'msg/s', Math.round(base.perSecond), 'echo'),
    row('parley send -> bot reply p50', round2(rt.p50), 'ms', round2(base.p50), 'echo p50'),
    row('parley send -> bot reply p99', round2(rt.p99), 'ms', round2(base.p99), 'echo p99'),
    // CPU per message barely moves with the machine's other load, unlike msg/s on shared cores
    ...cpuRows(base, floorUs, [
      ['parley message:send', p],
      ['parley message:send, silent bot', q],
      ...(f ? [['parley message:send, PARLEY_DB_SYNC=full', f] as [string, Measured]] : []),
      ['parley send -> bot reply', rt],
    ]),
  ];
}

/** whether this build's config knows PARLEY_DB_SYNC (synchronous=FULL on request) */
function dbSyncSetting(): boolean {
  const config: object = loadConfig({ ...process.env, PARLEY_DB_SYNC: 'full' });
  return 'dbSync' in config && config.dbSync === 'full';
}

function cpuRows(base: Measured, floorUs: number, runs: [string, Measured][]): BenchRow[] {
  if (base.cpuUsPerMsg === null) return [];
  const echo = round2(base.cpuUsPerMsg);
  return [
    row('socket.io echo+ack server CPU per msg', echo, 'us', null, 'mean of 2 runs'),
    // bench/message-floor.ts: the silent bot's statements on raw better-sqlite3, nothing else
    row('SQLite alone, one message (raw statements, 34/commit)', round2(floorUs), 'us', echo, 'echo CPU per msg'),
    row('floor: echo CPU + SQLite alone', round2(echo + floorUs), 'us', echo, 'echo CPU per msg'),
    ...runs.flatMap(([name, r]) => (r.cpuUsPerMsg === null ? [] : [row(`${name} server CPU per msg`, round2(r.cpuUsPerMsg), 'us', echo, 'echo CPU per msg')])),
  ];
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;

// `npx tsx bench/messaging.ts`: this benchmark alone
if (import.meta.url === `file://${process.argv[1]}`) {
  const { formatTable } = await import('./table.ts');
  console.log(formatTable(await benchMessaging()));
}

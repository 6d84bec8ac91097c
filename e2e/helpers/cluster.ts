/**
 * Several real Parley processes against one PostgreSQL database and one Redis, the way an operator
 * runs a cluster (issue 13): each instance is `server/main.ts` in a child process of its own, on a
 * free port, with DATABASE_URL / REDIS_URL / PORT in its environment and the offline LLM.
 *
 * `kill()` sends SIGKILL to the instance's process group (a crash: nothing is flushed or closed);
 * `stop()` sends SIGTERM (a deploy) and SIGKILL when it lingers. Every instance still running
 * when the test process exits is killed, and each one exits by itself when its parent dies (its
 * stdin pipe closes, see exit-with-parent.mjs), so no server outlives a failed or killed run.
 *
 * Also here: the clients cluster tests drive: a visitor socket, an admin session and socket, and
 * an `OutboxVisitor` that sends the way the widget's outbox does (widget/src/panel/connection/
 * outbox.ts: in order, one at a time, the same clientId again after a reconnect until acked).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { AdminAcks, AdminPayloads, AdminServerEvents } from '../../shared/admin-api.ts';
import type { Ack } from '../../shared/errors.ts';
import type { Message } from '../../shared/message.ts';
import type { VisitorAcks, VisitorClientEvents, VisitorPayloads, VisitorServerEvents } from '../../shared/visitor-events.ts';
import { REPO_ROOT } from './paths.ts';
import { freePort } from './ports.ts';

export const CLUSTER_ADMIN_EMAIL = 'admin@parley.test';
export const CLUSTER_ADMIN_PASSWORD = 'e2e-password-123';
/** the demo site allows http://localhost:* and http://127.0.0.1:* */
export const DEMO_ORIGIN = 'http://localhost:3000';

// --- instances ----------------------------------------------------------------------------------

export interface InstanceOptions {
  /** a label for failure messages ("A", "B") */
  name: string;
  databaseUrl: string;
  redisUrl?: string | null;
  /** more environment (overrides the defaults below) */
  env?: Record<string, string>;
  /** how long to wait for /healthz */
  timeoutMs?: number;
}

export interface Instance {
  name: string;
  port: number;
  /** http://127.0.0.1:PORT (the Host the admin socket's same-origin check sees) */
  url: string;
  pid: number;
  alive(): boolean;
  /** everything it printed, for failure messages */
  output(): string;
  /** SIGKILL to the whole process group; resolves once it is gone */
  kill(): Promise<void>;
  /** SIGTERM, SIGKILL after `graceMs`; resolves once it is gone */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHook = false;

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

const gone = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

function exited(child: ChildProcess): Promise<void> {
  if (gone(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startInstance(opts: InstanceOptions): Promise<Instance> {
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const c of running) if (c.pid !== undefined) signalGroup(c.pid, 'SIGKILL');
    });
  }
  const port = await freePort();
  // in PostgreSQL mode no SQLite file is opened; PARLEY_DB still points away from the repository
  const dir = mkdtempSync(join(tmpdir(), `parley-cluster-${opts.name}-`));
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './e2e/helpers/exit-with-parent.mjs', 'server/main.ts'], {
    cwd: REPO_ROOT,
    // its own process group: kill() reaches tsx's helpers too
    detached: true,
    // stdin stays open while this process lives (exit-with-parent.mjs)
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: opts.databaseUrl,
      REDIS_URL: opts.redisUrl ?? '',
      PARLEY_DB: join(dir, 'parley.db'),
      PARLEY_LLM: 'offline',
      PARLEY_ADMIN_EMAIL: CLUSTER_ADMIN_EMAIL,
      PARLEY_ADMIN_PASSWORD: CLUSTER_ADMIN_PASSWORD,
      PARLEY_DEMO_HISTORY: 'false',
      // every client of a test comes from 127.0.0.1
      PARLEY_RATE_LIMITS: 'off',
      LOG_LEVEL: 'warn',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      ...opts.env,
    },
  });
  running.add(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => void (out = (out + d.toString()).slice(-20_000)));
  child.stderr?.on('data', (d: Buffer) => void (out = (out + d.toString()).slice(-20_000)));
  const done = exited(child).then(() => {
    running.delete(child);
    rmSync(dir, { recursive: true, force: true });
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`instance ${opts.name}: could not spawn node`);

  const kill = async (): Promise<void> => {
    if (!gone(child)) {
      child.stdin?.destroy();
      signalGroup(pid, 'SIGKILL');
    }
    await done;
  };
  const stop = async (graceMs = 5_000): Promise<void> => {
    if (!gone(child)) {
      const force = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
      child.stdin?.end();
      signalGroup(pid, 'SIGTERM');
      await done;
      clearTimeout(force);
    }
    await done;
  };

  try {
    await waitForHealth(`${url}/healthz`, child, () => out, opts.timeoutMs ?? 60_000, opts.name);
  } catch (err) {
    await kill();
    throw err;
  }
  return { name: opts.name, port, url, pid, alive: () => !gone(child), output: () => out, kill, stop };
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string, timeoutMs: number, name: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone(child)) throw new Error(`Parley instance ${name} exited (${child.exitCode ?? child.signalCode}) before /healthz answered:\n${output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Parley instance ${name} did not answer ${url} within ${timeoutMs} ms:\n${output()}`);
}

export interface Cluster {
  instances: Instance[];
  /** by name */
  get(name: string): Instance;
  /** the output of every instance, labelled (for failure messages) */
  output(): string;
  /** kill every instance still running */
  close(): Promise<void>;
}

/**
 * Start instances named `names` on one database (and Redis). The first starts alone (it applies
 * the migrations and seeds the demo site and the owner), the others then start together.
 */
export async function startCluster(opts: Omit<InstanceOptions, 'name'> & { names: readonly string[] }): Promise<Cluster> {
  const instances: Instance[] = [];
  const cluster: Cluster = {
    instances,
    get(name) {
      const found = instances.find((i) => i.name === name);
      if (!found) throw new Error(`no instance ${name}`);
      return found;
    },
    output: () => instances.map((i) => `--- instance ${i.name} (port ${i.port}) ---\n${i.output()}`).join('\n'),
    async close() {
      await Promise.all(instances.map((i) => i.kill()));
    },
  };
  const [first, ...rest] = opts.names;
  try {
    if (first !== undefined) instances.push(await startInstance({ ...opts, name: first }));
    const others = await Promise.allSettled(rest.map((name) => startInstance({ ...opts, name })));
    for (const r of others) if (r.status === 'fulfilled') instances.push(r.value);
    const failed = others.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  } catch (err) {
    await cluster.close();
    throw err;
  }
  return cluster;
}

// --- waiting ------------------------------------------------------------------------------------

/**
 * Resolves once `check` returns something other than false/null/undefined (polled every `everyMs`);
 * fails with `what` (and `detail()`, e.g. the instances' output) when `timeoutMs` passes first.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | false | null | undefined | Promise<T | false | null | undefined>,
  { timeoutMs = 20_000, everyMs = 50, detail }: { timeoutMs?: number; everyMs?: number; detail?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== false && v !== null && v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for: ${what}${detail ? `\n${detail()}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** the next `event` on `socket` that `match` accepts (rejects after `timeoutMs`, naming the event) */
export function nextOn<T>(socket: Socket, event: string, match: (x: T) => boolean = () => true, timeoutMs = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const on = (x: T) => {
      if (!match(x)) return;
      clearTimeout(timer);
      socket.off(event, on);
      resolve(x);
    };
    const timer = setTimeout(() => {
      socket.off(event, on);
      reject(new Error(`no matching ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on(event, on);
  });
}

export function ok<T extends object>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`expected ok, got ${ack.error.code}: ${ack.error.message}`);
  return ack;
}

// --- visitors -----------------------------------------------------------------------------------

export type VisitorSocket = Socket<VisitorServerEvents, VisitorClientEvents>;

/** a widget socket on `${base}/visitor` (websocket only, so any balancer spread works) */
export async function connectVisitor(base: string, opts: { visitorToken?: string; origin?: string } = {}): Promise<VisitorSocket> {
  const socket: VisitorSocket = io(`${base}/visitor`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { siteKey: 'demo', ...(opts.visitorToken ? { visitorToken: opts.visitorToken } : {}) },
    extraHeaders: { origin: opts.origin ?? DEMO_ORIGIN },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => {
      socket.close();
      reject(new Error(`visitor socket to ${base}: ${err.message}`));
    });
  });
  return socket;
}

export function visitorCall<K extends keyof VisitorAcks>(socket: VisitorSocket, event: K, payload: VisitorPayloads[K]): Promise<Ack<VisitorAcks[K]>> {
  // socket.io's typings cannot resolve emitWithAck over a generic event name; VisitorClientEvents ties each event to its ack
  const emit = socket.timeout(10_000).emitWithAck as (e: K, p: VisitorPayloads[K]) => Promise<Ack<VisitorAcks[K]>>;
  return emit.call(socket, event, payload);
}

// --- admins -------------------------------------------------------------------------------------

export type AdminSocket = Socket<AdminServerEvents>;

/** signs in through the admin API of `base`; returns the session cookie (`parley_admin=...`) */
export async function adminLogin(base: string, email = CLUSTER_ADMIN_EMAIL, password = CLUSTER_ADMIN_PASSWORD): Promise<string> {
  const res = await fetch(`${base}/api/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`admin login on ${base}: HTTP ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (!cookie.includes('=')) throw new Error(`admin login on ${base}: no session cookie`);
  return cookie;
}

/** the /admin namespace of `base` with a session cookie, from the admin page's own origin */
export async function connectAdmin(base: string, cookie: string): Promise<AdminSocket> {
  const socket: AdminSocket = io(`${base}/admin`, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie, origin: base } });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => {
      socket.close();
      reject(new Error(`admin socket to ${base}: ${err.message}`));
    });
  });
  return socket;
}

export function adminCall<K extends keyof AdminAcks>(socket: AdminSocket, event: K, payload: AdminPayloads[K]): Promise<Ack<AdminAcks[K]>> {
  const emit = socket.timeout(10_000).emitWithAck as (e: K, p: AdminPayloads[K]) => Promise<Ack<AdminAcks[K]>>;
  return emit.call(socket, event, payload);
}

// --- a visitor with an outbox -------------------------------------------------------------------

export interface SentRecord {
  clientId: string;
  text: string;
  /** how many times it went out (more than once after a lost ack) */
  attempts: number;
  /** the stored message from the ok ack (null until acked) */
  acked: Message | null;
  /** the ack said the server already had it (a resend after a lost ack) */
  duplicate: boolean;
}

export interface OutboxVisitor {
  conversationId: string;
  visitorToken: string;
  /** queue a message (persisted client side, sent in order); returns its clientId */
  send(text: string): string;
  /** every message queued so far, in order */
  sent(): SentRecord[];
  /** queued and not acked yet */
  pending(): number;
  /** how many times the socket connected (1 + reconnects) */
  connects(): number;
  connected(): boolean;
  close(): void;
}

/**
 * A visitor that sends like the widget: an outbox of messages, each with a clientId fixed when it
 * is typed; strictly in order, one in flight; an ack lost to a dropped connection keeps the message
 * queued, and after the reconnect (session:hello with the same visitor token) it goes again with
 * the same clientId. socket.io reconnects by itself (quickly, for tests).
 */
export async function startOutboxVisitor(base: string, opts: { origin?: string; flowId?: string } = {}): Promise<OutboxVisitor> {
  let token: string | undefined;
  const socket: VisitorSocket = io(`${base}/visitor`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    auth: { siteKey: 'demo' },
    extraHeaders: { origin: opts.origin ?? DEMO_ORIGIN },
  });
  const records: SentRecord[] = [];
  const inFlight = new Set<(e: Error) => void>();
  let ready = false;
  let flushing = false;
  let connects = 0;
  let conversationId = '';
  let closed = false;

  /** an ack request that fails as soon as the connection drops, like the widget's caller */
  const call = <K extends keyof VisitorAcks>(event: K, payload: VisitorPayloads[K]): Promise<Ack<VisitorAcks[K]>> =>
    new Promise((resolve, reject) => {
      const drop = (e: Error) => reject(e);
      inFlight.add(drop);
      visitorCall(socket, event, payload).then(
        (res) => {
          inFlight.delete(drop);
          resolve(res);
        },
        (err: unknown) => {
          inFlight.delete(drop);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });

  async function flush(): Promise<void> {
    if (flushing) return;
    flushing = true;
    try {
      while (ready && socket.connected && !closed) {
        const entry = records.find((r) => r.acked === null);
        if (!entry) break;
        entry.attempts += 1;
        let res: Ack<VisitorAcks['message:send']>;
        try {
          res = await call('message:send', { conversationId, clientId: entry.clientId, text: entry.text });
        } catch {
          break; // dropped (or no ack): stays queued for the reconnect
        }
        if (!res.ok) throw new Error(`message ${entry.clientId} refused: ${res.error.code}: ${res.error.message}`);
        entry.acked = res.message;
        entry.duplicate = res.duplicate;
      }
    } finally {
      flushing = false;
    }
  }
  const flushSoon = () => {
    flush().catch((err: unknown) => {
      failure = err instanceof Error ? err : new Error(String(err));
    });
  };
  let failure: Error | null = null;

  const hello = async (): Promise<void> => {
    const res = ok(await call('session:hello', {}));
    token = res.visitorToken;
    socket.auth = { siteKey: 'demo', visitorToken: token };
  };

  let firstConnect: (() => void) | null = null;
  let firstError: ((e: Error) => void) | null = null;
  socket.on('connect', () => {
    connects += 1;
    if (firstConnect) return firstConnect();
    hello().then(
      () => {
        ready = true;
        flushSoon();
      },
      // the connection dropped again: the next connect says hello
      () => undefined,
    );
  });
  socket.on('disconnect', () => {
    ready = false;
    for (const drop of [...inFlight]) drop(new Error('disconnected'));
    inFlight.clear();
  });
  socket.on('connect_error', (err) => firstError?.(new Error(`visitor socket to ${base}: ${err.message}`)));
  await new Promise<void>((resolve, reject) => {
    firstConnect = resolve;
    firstError = reject;
  }).finally(() => {
    firstConnect = null;
    firstError = null;
  });
  try {
    await hello();
    const started = ok(await call('conversation:start', opts.flowId ? { flowId: opts.flowId } : {}));
    conversationId = started.conversation.id;
  } catch (err) {
    socket.close();
    throw err;
  }
  ready = true;

  return {
    conversationId,
    get visitorToken() {
      return token ?? '';
    },
    send(text) {
      if (failure) throw failure;
      const clientId = `c-${randomUUID()}`;
      records.push({ clientId, text, attempts: 0, acked: null, duplicate: false });
      flushSoon();
      return clientId;
    },
    sent() {
      if (failure) throw failure;
      return records.map((r) => ({ ...r }));
    },
    pending() {
      if (failure) throw failure;
      return records.filter((r) => r.acked === null).length;
    },
    connects: () => connects,
    connected: () => socket.connected && ready,
    close() {
      closed = true;
      socket.close();
    },
  };
}

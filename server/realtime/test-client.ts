/** Test helper: a real server on port 0 with a temp database, and socket.io clients for it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { io as connectIo, type Socket } from 'socket.io-client';
import type { Ack } from '../../shared/errors.ts';
import type { VisitorAcks, VisitorPayloads } from '../../shared/visitor-events.ts';
import { loadConfig } from '../config.ts';
import { createFakeEngine, type FakeEngineOptions } from '../conversation/fake-engine.ts';
import { startServer, type RunningServer, type ServerOverrides } from '../main.ts';

export const DEMO_ORIGIN = 'http://localhost:5173';

export interface TestServer {
  server: RunningServer;
  /** counts rows with a second, read-only connection (what a crash would leave on disk) */
  count(sql: string, ...params: unknown[]): number;
  stop(): Promise<void>;
}

export async function startTestServer(opts: FakeEngineOptions & Omit<ServerOverrides, 'engine'> = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-rt-'));
  const dbPath = join(dir, 'parley.db');
  // an empty demo (no seeded history): these tests count the rows they make
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', PARLEY_DB: dbPath, PARLEY_LLM: 'offline', LOG_LEVEL: 'silent', PARLEY_DEMO_HISTORY: 'false' });
  const { engine } = createFakeEngine(opts);
  const server = await startServer(config, { ...opts, engine });
  const reader = new Database(dbPath, { readonly: true });
  return {
    server,
    count: (sql, ...params) => Number(reader.prepare(sql).pluck().get(...params)),
    async stop() {
      reader.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type VisitorSocket = Socket;

export function connectVisitor(url: string, auth: { siteKey?: string; visitorToken?: string } = {}, origin = DEMO_ORIGIN): VisitorSocket {
  return connectIo(`${url}/visitor`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { siteKey: 'demo', ...auth },
    extraHeaders: { origin },
  });
}

/** resolves on connect, rejects with the connect_error's data code */
export function connected(socket: VisitorSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err: Error & { data?: { code?: string; retryAfterMs?: number } }) =>
      reject(Object.assign(new Error(err.data?.code ?? err.message), { data: err.data })),
    );
  });
}

/** emit and wait for the ack */
export function call<K extends keyof VisitorAcks>(socket: VisitorSocket, event: K, payload: VisitorPayloads[K] | unknown): Promise<Ack<VisitorAcks[K]>> {
  return socket.timeout(10_000).emitWithAck(event, payload);
}

/** the next `event` the server pushes that satisfies `match` */
export function next<T>(socket: VisitorSocket, event: string, match: (x: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within 10 s`)), 10_000);
    const on = (x: T) => {
      if (!match(x)) return;
      clearTimeout(timer);
      socket.off(event, on);
      resolve(x);
    };
    socket.on(event, on);
  });
}

export function ok<T extends object>(res: Ack<T>): T {
  if (!res.ok) throw new Error(`expected ok, got ${res.error.code}: ${res.error.message}`);
  return res;
}

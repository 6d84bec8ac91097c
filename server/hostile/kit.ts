/** Test helper for the hardening tests: the whole real server (real engine unless given) on port 0. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connectIo, type Socket } from 'socket.io-client';
import { loadConfig } from '../config.ts';
import { startServer, type RunningServer, type ServerOverrides } from '../main.ts';
import { DEMO_ORIGIN } from '../realtime/test-client.ts';

export const OWNER = { email: 'owner@acme.test', password: 'owner-password-1' };

export interface HostileServer {
  server: RunningServer;
  dir: string;
  dbPath: string;
  stop(): Promise<void>;
}

export async function startRealServer(env: Record<string, string> = {}, overrides: ServerOverrides = {}): Promise<HostileServer> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-hostile-'));
  const dbPath = join(dir, 'parley.db');
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    PARLEY_DB: dbPath,
    PARLEY_LLM: 'offline',
    LOG_LEVEL: 'silent',
    // no weeks of seeded past conversations: these tests count and page what they made
    PARLEY_DEMO_HISTORY: 'false',
    PARLEY_ADMIN_EMAIL: OWNER.email,
    PARLEY_ADMIN_PASSWORD: OWNER.password,
    ...env,
  });
  const server = await startServer(config, overrides);
  return {
    server,
    dir,
    dbPath,
    async stop() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function visitorSocket(url: string, opts: { headers?: Record<string, string>; visitorToken?: string } = {}): Socket {
  return connectIo(`${url}/visitor`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { siteKey: 'demo', ...(opts.visitorToken ? { visitorToken: opts.visitorToken } : {}) },
    extraHeaders: { origin: DEMO_ORIGIN, ...opts.headers },
  });
}

/** resolves with null on connect, or the connect_error's code */
export function connectResult(socket: Socket): Promise<string | null> {
  return new Promise((resolve) => {
    // it may have connected already, while the caller awaited something else
    if (socket.connected) return resolve(null);
    socket.once('connect', () => resolve(null));
    socket.once('connect_error', (err: Error & { data?: { code?: string } }) => resolve(err.data?.code ?? err.message));
  });
}

/** sign in over HTTP; returns the cookie and CSRF token */
export async function signIn(url: string, who = OWNER, headers: Record<string, string> = {}): Promise<{ status: number; cookie: string; csrf: string; body: unknown }> {
  const res = await fetch(`${url}/api/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(who) });
  const body = (await res.json()) as { csrfToken?: string };
  return { status: res.status, cookie: res.headers.get('set-cookie')?.split(';')[0] ?? '', csrf: body.csrfToken ?? '', body };
}

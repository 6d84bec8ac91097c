/**
 * A small HTTP + WebSocket load balancer for cluster tests (http-proxy): round-robin over a list
 * of backends, so one URL fronts several Parley instances.
 *
 * socket.io's long-polling sends several HTTP requests per session and each must reach the
 * instance that holds the session. With `sticky: true` (the default) the balancer keeps a
 * session on its instance in two ways: it reads the engine.io `sid` from each handshake answer
 * and routes every later request carrying `sid=` to the same backend (works cross-origin, where
 * the widget sends no cookies), and it sets a cookie naming the backend (same-origin pages such
 * as the admin). With `sticky: false` requests are spread regardless: use websocket-only clients.
 *
 * `removeBackend(url)` takes an instance out of rotation (optionally cutting its open
 * connections); requests pinned to it go round-robin to the others, where an unknown `sid`
 * makes the client reconnect with a fresh handshake. `addBackend(url)` puts one (back) in.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import httpProxy from 'http-proxy';

export interface BalancerOptions {
  /** keep a socket.io session on one backend (sid map + cookie); default true */
  sticky?: boolean;
  cookieName?: string;
  host?: string;
}

export interface Balancer {
  url: string;
  port: number;
  /** backends in rotation, in order */
  backends(): string[];
  addBackend(url: string): void;
  /** out of rotation; `cut: true` also closes the connections open to it now */
  removeBackend(url: string, opts?: { cut?: boolean }): void;
  /** how many requests and websocket upgrades each backend got (tests check the spread) */
  counts(): Map<string, number>;
  close(): Promise<void>;
}

const normal = (url: string): string => new URL(url).origin;

const cookieValue = (header: string | undefined, name: string): string | null => {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
};

const sidOf = (req: IncomingMessage): string | null => new URL(req.url ?? '/', 'http://x').searchParams.get('sid');

/** an engine.io handshake: a request to the engine path without a sid */
const isHandshake = (req: IncomingMessage): boolean => {
  const u = new URL(req.url ?? '/', 'http://x');
  return u.searchParams.has('EIO') && !u.searchParams.has('sid');
};

export async function startBalancer(initial: readonly string[], opts: BalancerOptions = {}): Promise<Balancer> {
  const sticky = opts.sticky ?? true;
  const cookieName = opts.cookieName ?? 'parley_lb';
  const host = opts.host ?? '127.0.0.1';
  const pool: string[] = [...new Set(initial.map(normal))];
  const counts = new Map<string, number>();
  const sids = new Map<string, string>();
  /** open client sockets (HTTP keep-alive and upgraded websockets) by the backend they talk to */
  const open = new Map<string, Set<Socket>>();
  let next = 0;

  const track = (backend: string, socket: Socket) => {
    let set = open.get(backend);
    if (!set) open.set(backend, (set = new Set()));
    set.add(socket);
    socket.once('close', () => set.delete(socket));
  };
  const roundRobin = (): string | null => {
    if (pool.length === 0) return null;
    const b = pool[next % pool.length] ?? null;
    next = (next + 1) % Math.max(pool.length, 1);
    return b;
  };
  const pick = (req: IncomingMessage): string | null => {
    if (sticky) {
      const sid = sidOf(req);
      const bySid = sid ? sids.get(sid) : undefined;
      if (bySid && pool.includes(bySid)) return bySid;
      const byCookie = cookieValue(req.headers.cookie, cookieName);
      if (byCookie && pool.includes(byCookie)) return byCookie;
    }
    return roundRobin();
  };
  const count = (backend: string) => counts.set(backend, (counts.get(backend) ?? 0) + 1);

  // plain pass-through, and one that reads handshake answers to learn the sid -> backend pairs
  const proxy = httpProxy.createProxyServer({ ws: true, xfwd: true });
  const reading = httpProxy.createProxyServer({ xfwd: true, selfHandleResponse: true });
  const fail = (err: Error, _req: IncomingMessage, res: ServerResponse | Socket) => {
    if ('writeHead' in res) {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`balancer: backend unreachable (${err.message})`);
    } else res.destroy();
  };
  proxy.on('error', fail);
  reading.on('error', fail);

  const withCookie = (headers: IncomingMessage['headers'], backend: string): IncomingMessage['headers'] => {
    if (!sticky) return headers;
    const mine = `${cookieName}=${encodeURIComponent(backend)}; Path=/; HttpOnly; SameSite=Lax`;
    const prev = headers['set-cookie'] ?? [];
    return { ...headers, 'set-cookie': [...prev, mine] };
  };
  proxy.on('proxyRes', (proxyRes, req) => {
    // a new session (no sticky cookie yet): pin it; http-proxy copies the headers after this
    const backend = backendOf.get(req);
    if (sticky && backend && cookieValue(req.headers.cookie, cookieName) !== backend) {
      proxyRes.headers = withCookie(proxyRes.headers, backend);
    }
  });
  reading.on('proxyRes', (proxyRes, req, res) => {
    const backend = backendOf.get(req) ?? '';
    const chunks: Buffer[] = [];
    proxyRes.on('data', (c: Buffer) => chunks.push(c));
    proxyRes.on('end', () => {
      const body = Buffer.concat(chunks);
      const sid = /"sid":"([^"]+)"/.exec(body.toString('utf8'))?.[1];
      if (sid && backend) sids.set(sid, backend);
      const headers = withCookie(proxyRes.headers, backend);
      delete headers['content-length'];
      delete headers['transfer-encoding'];
      res.writeHead(proxyRes.statusCode ?? 502, { ...headers, 'content-length': String(body.length) });
      res.end(body);
    });
    proxyRes.on('error', () => res.destroy());
  });

  const backendOf = new WeakMap<IncomingMessage, string>();
  const server: Server = createServer((req, res) => {
    const backend = pick(req);
    if (!backend) {
      res.writeHead(503, { 'content-type': 'text/plain' });
      return void res.end('balancer: no backend in rotation');
    }
    backendOf.set(req, backend);
    count(backend);
    track(backend, req.socket);
    if (sticky && isHandshake(req)) {
      // an uncompressed answer, so the sid can be read from it
      delete req.headers['accept-encoding'];
      reading.web(req, res, { target: backend });
    } else proxy.web(req, res, { target: backend });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const backend = pick(req);
    if (!backend) return void socket.destroy();
    count(backend);
    track(backend, socket);
    proxy.ws(req, socket, head, { target: backend });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}`,
    port,
    backends: () => [...pool],
    counts: () => new Map(counts),
    addBackend(url) {
      const b = normal(url);
      if (!pool.includes(b)) pool.push(b);
    },
    removeBackend(url, o = {}) {
      const b = normal(url);
      const i = pool.indexOf(b);
      if (i >= 0) pool.splice(i, 1);
      for (const [sid, owner] of sids) if (owner === b) sids.delete(sid);
      if (o.cut) for (const s of open.get(b) ?? []) s.destroy();
    },
    async close() {
      for (const set of open.values()) for (const s of set) s.destroy();
      proxy.close();
      reading.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { startBalancer, type Balancer } from './balancer.ts';

/** a tiny backend: answers its name, and an engine.io-like handshake with a sid naming it */
async function tinyBackend(name: string): Promise<{ url: string; server: HttpServer }> {
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.searchParams.has('EIO') && !u.searchParams.has('sid')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end(`0{"sid":"sid-${name}-${Math.random().toString(36).slice(2)}","upgrades":[],"pingInterval":25000}`);
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(name);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** a socket.io backend answering `whoami` with its name */
async function ioBackend(name: string): Promise<{ url: string; io: Server }> {
  const http = createServer();
  const io = new Server(http);
  io.on('connection', (socket) => socket.on('whoami', (ack: (n: string) => void) => ack(name)));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, io };
}

const text = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { headers });
  return { body: await res.text(), cookie: res.headers.get('set-cookie') };
};

describe('test load balancer (http-proxy)', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('spreads requests round-robin, keeps a cookie or an engine.io sid on its backend, and follows removeBackend/addBackend', async () => {
    const a = await tinyBackend('A');
    const b = await tinyBackend('B');
    cleanup.push(() => void a.server.close(), () => void b.server.close());
    const lb = await startBalancer([a.url, b.url]);
    cleanup.push(() => lb.close());

    const spread = [];
    for (let i = 0; i < 4; i++) spread.push((await text(`${lb.url}/`)).body);
    expect(spread).toEqual(['A', 'B', 'A', 'B']);

    // the cookie set on the first answer pins later requests to the same backend
    const first = await text(`${lb.url}/`);
    const cookie = first.cookie?.split(';')[0] ?? '';
    expect(cookie).toMatch(/^parley_lb=/);
    for (let i = 0; i < 3; i++) expect((await text(`${lb.url}/`, { cookie })).body).toBe(first.body);

    // an engine.io handshake's sid pins the session without any cookie (cross-origin widget)
    const hs = await text(`${lb.url}/socket.io/?EIO=4&transport=polling`);
    const sid = /"sid":"([^"]+)"/.exec(hs.body)?.[1] ?? '';
    const owner = sid.startsWith('sid-A-') ? 'A' : 'B';
    for (let i = 0; i < 3; i++) expect((await text(`${lb.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`)).body).toBe(owner);

    // the owner leaves the rotation: its pinned session and cookie go to the other one
    lb.removeBackend(owner === 'A' ? a.url : b.url);
    const other = owner === 'A' ? 'B' : 'A';
    expect(lb.backends()).toEqual([owner === 'A' ? b.url : a.url]);
    expect((await text(`${lb.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`)).body).toBe(other);
    for (let i = 0; i < 3; i++) expect((await text(`${lb.url}/`)).body).toBe(other);
    lb.addBackend(owner === 'A' ? a.url : b.url);
    const back = new Set<string>();
    for (let i = 0; i < 2; i++) back.add((await text(`${lb.url}/`)).body);
    expect(back).toEqual(new Set(['A', 'B']));
  });

  it('carries socket.io long-polling (sticky) and websockets; a client cut from a removed instance reconnects to the other', async () => {
    const a = await ioBackend('A');
    const b = await ioBackend('B');
    cleanup.push(() => void a.io.close(), () => void b.io.close());
    const lb = await startBalancer([a.url, b.url]);
    cleanup.push(() => lb.close());
    const clients: ClientSocket[] = [];
    cleanup.push(() => clients.forEach((c) => c.disconnect()));
    const whoami = (c: ClientSocket) => c.timeout(5_000).emitWithAck('whoami') as Promise<string>;

    // polling only: every request of the session must reach the same instance
    const polling = connectClient(lb.url, { transports: ['polling'], reconnection: false, forceNew: true });
    clients.push(polling);
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) seen.add(await whoami(polling));
    expect(seen.size).toBe(1);

    const ws = () => {
      const c = connectClient(lb.url, { transports: ['websocket'], forceNew: true, reconnectionDelay: 50, reconnectionDelayMax: 200 });
      clients.push(c);
      return c;
    };
    const one = ws();
    const two = ws();
    const names = [await whoami(one), await whoami(two)];
    expect(new Set(names)).toEqual(new Set(['A', 'B']));

    const onA = names[0] === 'A' ? one : two;
    const reconnected = new Promise<void>((r) => onA.io.once('reconnect', () => r()));
    lb.removeBackend(a.url, { cut: true });
    await reconnected;
    expect(await whoami(onA)).toBe('B');
  });
});

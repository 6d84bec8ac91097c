/**
 * A TCP proxy in front of the Parley server, so a test can drop the network for real: cut()
 * destroys every open connection (websockets included) and refuses new ones; restore() listens
 * again on the same port. Chromium's setOffline() alone does not reliably close open websockets.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { freePort } from './ports.ts';

export interface TcpProxy {
  port: number;
  /** drop every connection and stop accepting new ones */
  cut(): Promise<void>;
  /** accept connections again on the same port */
  restore(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, host = '127.0.0.1'): Promise<TcpProxy> {
  const port = await freePort(host);
  const open = new Set<Socket>();
  let server: Server | null = null;

  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = createConnection({ port: targetPort, host: '127.0.0.1' });
        for (const sock of [client, upstream]) {
          open.add(sock);
          sock.on('close', () => open.delete(sock));
          sock.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      s.once('error', reject);
      s.listen(port, host, () => resolve());
      server = s;
    });

  const close = (): Promise<void> =>
    new Promise((resolve) => {
      for (const sock of open) sock.destroy();
      open.clear();
      const s = server;
      server = null;
      if (!s) return resolve();
      s.close(() => resolve());
    });

  await listen();
  return { port, cut: close, restore: listen, stop: close };
}

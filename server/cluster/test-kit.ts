/**
 * Test helpers for cluster tests: a socket.io server on a free port with a given adapter, a
 * client, and "emit until it arrives" (an adapter subscribes asynchronously, so the first
 * broadcast after start-up or a Redis restart may go out before the other side reads again;
 * retrying with fresh payloads asserts delivery without any timing assumption).
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type ServerOptions } from 'socket.io';
import { io as connectClient, type ManagerOptions, type Socket as ClientSocket, type SocketOptions } from 'socket.io-client';
import { createLogger, type Logger } from '../logger.ts';

export const quietLog: Logger = createLogger('silent');

export interface TestInstance {
  io: Server;
  http: HttpServer;
  url: string;
  close(): Promise<void>;
}

/** a socket.io server whose clients may `join` a room (ack once joined) */
export async function startInstance(adapter: ServerOptions['adapter'] | undefined, extra: Partial<ServerOptions> = {}): Promise<TestInstance> {
  const http = createServer();
  const io = new Server(http, { ...(adapter ? { adapter } : {}), ...extra });
  io.on('connection', (socket) => {
    socket.on('join', (room: unknown, ack: unknown) => {
      if (typeof room !== 'string' || typeof ack !== 'function') return;
      void socket.join(room);
      ack(true);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    io,
    http,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await io.close();
    },
  };
}

export async function connectTo(url: string, opts: Partial<ManagerOptions & SocketOptions> = {}): Promise<ClientSocket> {
  const socket = connectClient(url, { transports: ['websocket'], reconnection: false, forceNew: true, ...opts });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

export async function joinRoom(socket: ClientSocket, room: string): Promise<void> {
  const ok: unknown = await socket.timeout(5_000).emitWithAck('join', room);
  if (ok !== true) throw new Error(`join ${room} failed`);
}

/**
 * Emit `event` with payload `${tag}:${n}` (n = 1, 2, ...) until the client receives one; resolves
 * with what it received. Gives up after `attempts` tries (a clear failure, not a hang).
 */
export async function emitUntilReceived(
  emit: (payload: string) => void,
  client: ClientSocket,
  event: string,
  tag: string,
  { attempts = 200, everyMs = 50 } = {},
): Promise<string> {
  return await new Promise<string>((resolve, reject) => {
    let n = 0;
    let timer: NodeJS.Timeout | undefined;
    const onEvent = (payload: unknown) => {
      if (typeof payload !== 'string' || !payload.startsWith(`${tag}:`)) return;
      clearTimeout(timer);
      client.off(event, onEvent);
      resolve(payload);
    };
    client.on(event, onEvent);
    const tick = () => {
      if (n >= attempts) {
        client.off(event, onEvent);
        return reject(new Error(`"${event}" (${tag}) never arrived after ${attempts} broadcasts`));
      }
      n += 1;
      emit(`${tag}:${n}`);
      timer = setTimeout(tick, everyMs);
    };
    tick();
  });
}

/** resolves with the next `event` payload the client receives */
export function nextEvent(client: ClientSocket, event: string): Promise<unknown> {
  return new Promise((resolve) => client.once(event, resolve));
}

/**
 * A second device for a visitor who is already chatting in the browser: a socket.io client with
 * the widget's visitor token, so a test can make the server push messages to a closed widget.
 */
import { io, type Socket } from 'socket.io-client';
import type { Ack } from '../../shared/errors.ts';
import type { VisitorAcks, VisitorClientEvents, VisitorServerEvents } from '../../shared/visitor-events.ts';

export type VisitorSocket = Socket<VisitorServerEvents, VisitorClientEvents>;

export async function connectVisitor(parleyUrl: string, origin: string, visitorToken: string): Promise<VisitorSocket> {
  const socket: VisitorSocket = io(`${parleyUrl}/visitor`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { siteKey: 'demo', visitorToken },
    extraHeaders: { origin },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(new Error(`visitor socket: ${err.message}`)));
  });
  return socket;
}

export function ok<T extends object>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack;
}

export async function hello(socket: VisitorSocket): Promise<VisitorAcks['session:hello']> {
  return ok(await socket.timeout(10_000).emitWithAck('session:hello', {}));
}

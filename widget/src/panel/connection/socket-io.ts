import { io, type Socket } from 'socket.io-client';
import type { Ack } from '../../../../shared/errors.ts';
import type { VisitorAcks, VisitorClientEvents, VisitorPayloads, VisitorServerEvents } from '../../../../shared/visitor-events.ts';
import type { SocketLike } from './socket-like.ts';

/** The real socket: `${base}/visitor`, connected only when the connection asks. */
export function createSocketIo(base: string, auth: SocketLike['auth']): SocketLike {
  // WebSocket first: its handshake is not subject to CORS, so a page on an origin the site does not
  // allow hears the server's 'origin_not_allowed' instead of an opaque polling error, and stops
  // retrying. Long-polling stays as the fallback where WebSockets are blocked.
  const socket: Socket<VisitorServerEvents, VisitorClientEvents> = io(`${base}/visitor`, {
    autoConnect: false,
    auth,
    transports: ['websocket', 'polling'],
  });
  return {
    get auth() {
      return auth;
    },
    set auth(next) {
      auth = next;
      socket.auth = next;
    },
    get connected() {
      return socket.connected;
    },
    get active() {
      return socket.active;
    },
    connect: () => void socket.connect(),
    disconnect: () => void socket.disconnect(),
    on(event, fn) {
      // socket.io's typed `on` does not accept a union of event names; the handler types match by construction
      (socket.on as (e: string, f: (...args: never[]) => void) => void)(event, fn);
    },
    request<E extends keyof VisitorAcks>(event: E, payload: VisitorPayloads[E], timeoutMs: number) {
      // socket.io's typings cannot resolve emitWithAck over a generic event name; the shared
      // VisitorClientEvents map ties each event to its ack type, so this cast restates that map
      const emit = socket.timeout(timeoutMs).emitWithAck as (e: E, p: VisitorPayloads[E]) => Promise<Ack<VisitorAcks[E]>>;
      return emit.call(socket, event, payload);
    },
  };
}

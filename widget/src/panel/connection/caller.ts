import type { Ack } from '../../../../shared/errors.ts';
import type { VisitorAcks, VisitorPayloads } from '../../../../shared/visitor-events.ts';
import type { SocketLike } from './socket-like.ts';

export type Call = <E extends keyof VisitorAcks>(event: E, payload: VisitorPayloads[E]) => Promise<Ack<VisitorAcks[E]>>;

/**
 * Ack requests that fail as soon as the connection drops (`dropAll`), not only at their timeout,
 * so queued work is retried right after the reconnect instead of seconds later.
 */
export function createCaller(socket: SocketLike, timeoutMs: number): { call: Call; dropAll(): void } {
  const inFlight = new Set<(e: Error) => void>();
  const call: Call = (event, payload) =>
    new Promise((resolve, reject) => {
      const drop = (e: Error) => reject(e);
      inFlight.add(drop);
      socket.request(event, payload, timeoutMs).then(
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
  return {
    call,
    dropAll() {
      for (const drop of [...inFlight]) drop(new Error('disconnected'));
      inFlight.clear();
    },
  };
}

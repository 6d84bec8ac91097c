import type { Ack } from '../../../../shared/errors.ts';
import type { VisitorAcks, VisitorPayloads, VisitorServerEvents } from '../../../../shared/visitor-events.ts';

/** The error socket.io reports when the server refuses the handshake; `data` carries { code, message }. */
export interface ConnectError extends Error {
  data?: { code?: string; message?: string; retryAfterMs?: number };
}

type ServerHandlers = VisitorServerEvents & {
  connect: () => void;
  disconnect: (reason: string) => void;
  connect_error: (err: ConnectError) => void;
};

/**
 * The slice of a socket.io client socket the connection uses. Tests inject a fake; the real one
 * is adapted in socket-io.ts.
 */
export interface SocketLike {
  auth: { siteKey: string; visitorToken?: string };
  readonly connected: boolean;
  /** socket.io still tries to reconnect on its own (false after the server refused the handshake) */
  readonly active: boolean;
  connect(): void;
  disconnect(): void;
  on<E extends keyof ServerHandlers>(event: E, fn: ServerHandlers[E]): void;
  /** emit with an ack; rejects when no ack arrives within the timeout */
  request<E extends keyof VisitorAcks>(event: E, payload: VisitorPayloads[E], timeoutMs: number): Promise<Ack<VisitorAcks[E]>>;
}

/**
 * The one way a socket event reaches a service: validate the payload with its shared schema,
 * call, ack. No handler sees unvalidated input; a missing ack, a thrown AppError or an
 * unexpected crash never takes the connection or the server down.
 */
import type { z } from 'zod';
import { AppError, type AckError } from '../../shared/errors.ts';
import { safeParse } from '../../shared/safe-parse.ts';
import type { Logger } from '../logger.ts';
import { storageFault } from '../store/faults.ts';

type AckFn = (res: unknown) => void;

export function invalidPayload(error: z.ZodError): AckError {
  const issues = error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  const message = first ? `Invalid payload: ${first.path ? `${first.path}: ` : ''}${first.message}` : 'Invalid payload.';
  return new AppError('invalid_payload', message, { issues }).toAck();
}

export const INTERNAL: AckError = { ok: false, error: { code: 'internal', message: 'Something went wrong on our side.' } };

/** socket.io passes the ack as the last argument, and a payload-less emit puts it first */
export function splitArgs(args: unknown[]): { payload: unknown; ack: AckFn } {
  const last = args.at(-1);
  const ack: AckFn = typeof last === 'function' ? (res) => (last as AckFn)(res) : () => undefined;
  const payload = typeof args[0] === 'function' ? undefined : args[0];
  return { payload, ack };
}

export function handle<S extends z.ZodType, R extends object>(
  event: string,
  schema: S,
  fn: (payload: z.output<S>) => R | Promise<R>,
  log: Logger,
): (...args: unknown[]) => void {
  return (...args) => void run(args);
  async function run(args: unknown[]): Promise<void> {
    const { payload, ack } = splitArgs(args);
    let res: unknown;
    try {
      const parsed = safeParse(schema, payload ?? {});
      res = parsed.success ? { ok: true, ...(await fn(parsed.data)) } : invalidPayload(parsed.error);
    } catch (err) {
      const fault = storageFault(err);
      if (err instanceof AppError) res = err.toAck();
      else if (fault) {
        // the operator must hear of a full or read-only disk; the client gets a clear, retryable answer
        log.error({ err, event }, 'storage fault');
        res = fault.toAck();
      } else {
        log.error({ err, event }, 'socket handler failed');
        res = INTERNAL;
      }
    }
    try {
      ack(res);
    } catch (err) {
      log.warn({ err, event }, 'ack failed');
    }
  }
}

/**
 * Fail fast while the LLM endpoint is down: after `failures` calls in a row fail with a timeout,
 * network error, 5xx or rate limit, calls are refused for `cooldownMs`, so each visitor turn is
 * served offline at once instead of after a full timeout. One trial call goes through after the
 * cooldown; if it fails too, the circuit opens again straight away.
 */
import { LlmError } from './types.ts';

export interface CircuitOptions {
  failures: number;
  cooldownMs: number;
  now?: () => number;
}

export interface Circuit {
  /** throws LlmError('network') while open */
  check(): void;
  success(): void;
  failure(err: LlmError): void;
}

const isOutage = (e: LlmError) => e.failure === 'timeout' || e.failure === 'network' || e.failure === 'rate_limited' || (e.failure === 'http' && (e.status ?? 0) >= 500);

export function createCircuit(opts: CircuitOptions): Circuit {
  const now = opts.now ?? Date.now;
  let consecutive = 0;
  /** 0: closed; otherwise open until then, and half-open after */
  let openUntil = 0;
  return {
    check() {
      if (openUntil > now()) throw new LlmError('network', `the LLM failed ${opts.failures} times in a row; not calling it for ${Math.ceil((openUntil - now()) / 1000)} s`);
    },
    success() {
      consecutive = 0;
      openUntil = 0;
    },
    failure(err) {
      if (!isOutage(err)) return;
      consecutive++;
      if (openUntil !== 0 || consecutive >= opts.failures) {
        openUntil = now() + opts.cooldownMs;
        consecutive = 0;
      }
    },
  };
}

export interface BackoffOptions {
  /** delay after the first failure */
  baseMs: number;
  /** no delay grows past this */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 5 * 60_000 };

/** Exponential backoff: base, 2x base, 4x base ... after the 1st, 2nd, 3rd failed attempt, capped. */
export function backoffDelay(attempt: number, opts: BackoffOptions): number {
  return Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * At most `max` tasks run at once; the rest wait in arrival order. A waiter may carry a deadline:
 * when no slot frees before it, the waiter leaves the queue and fails with `onTimeout()`, so a
 * caller's timeout covers the time spent queueing, not only the call itself.
 */
export interface LimitOptions {
  /** epoch ms by which the task must have started */
  deadline?: number;
  onTimeout?: () => Error;
}

export type Limiter = <T>(task: () => Promise<T>, opts?: LimitOptions) => Promise<T>;

interface Waiter {
  start: () => void;
  timer?: ReturnType<typeof setTimeout>;
}

export function createLimiter(max: number): Limiter {
  const slots = Math.max(1, max);
  let active = 0;
  const waiting: Waiter[] = [];
  // a finishing task hands its slot straight to the next waiter, so a newcomer cannot jump in between
  const acquire = (opts: LimitOptions): Promise<void> => {
    if (active < slots) {
      active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { start: resolve };
      if (opts.deadline !== undefined) {
        waiter.timer = setTimeout(
          () => {
            const at = waiting.indexOf(waiter);
            if (at >= 0) waiting.splice(at, 1);
            reject(opts.onTimeout?.() ?? new Error('timed out waiting for a free slot'));
          },
          Math.max(0, opts.deadline - Date.now()),
        );
      }
      waiting.push(waiter);
    });
  };
  const release = () => {
    const next = waiting.shift();
    if (next) {
      clearTimeout(next.timer);
      next.start();
    } else active--;
  };
  return async <T>(task: () => Promise<T>, opts: LimitOptions = {}): Promise<T> => {
    await acquire(opts);
    try {
      return await task();
    } finally {
      release();
    }
  };
}

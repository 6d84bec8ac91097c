import type { Logger } from '../logger.ts';

/**
 * Ends idle conversations on a timer. The timer is unref'd so it never keeps a process alive;
 * a failing sweep is logged and the next one tries again.
 */
export function startIdleSweeper(endIdle: () => number, log: Logger, everyMs = 60_000): () => void {
  const timer = setInterval(() => {
    try {
      const n = endIdle();
      if (n > 0) log.info({ ended: n }, 'ended idle conversations');
    } catch (err) {
      log.error({ err }, 'idle sweep failed');
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

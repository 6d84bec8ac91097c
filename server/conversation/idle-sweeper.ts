import type { Logger } from '../logger.ts';

/**
 * Ends idle conversations on a timer. The timer is unref'd so it never keeps a process alive;
 * a failing sweep is logged and the next one tries again. A sweep still running when the timer
 * fires again is not doubled.
 */
export function startIdleSweeper(endIdle: () => Promise<number>, log: Logger, everyMs = 60_000): () => void {
  let sweeping = false;
  const sweep = async (): Promise<void> => {
    if (sweeping) return;
    sweeping = true;
    try {
      const n = await endIdle();
      if (n > 0) log.info({ ended: n }, 'ended idle conversations');
    } catch (err) {
      log.error({ err }, 'idle sweep failed');
    } finally {
      sweeping = false;
    }
  };
  const timer = setInterval(() => void sweep(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * A closed-loop load driver: each client sends its next request only when the previous one was
 * answered, until a count or a time limit is reached, whichever comes first.
 */
import { nowMs, percentile } from './stats.ts';

export interface LoopClient {
  /** one request; resolves when it is answered (acked), rejects on failure */
  send(i: number): Promise<void>;
}

export interface LoopResult {
  ok: number;
  failed: number;
  /** first failure message, to explain a bad run */
  firstError: string | null;
  elapsedMs: number;
  perSecond: number;
  p50: number;
  p99: number;
}

export async function runClosedLoop(clients: readonly LoopClient[], limits: { maxMessages: number; maxMs: number }): Promise<LoopResult> {
  const latencies: number[] = [];
  let started = 0;
  let failed = 0;
  let firstError: string | null = null;
  const t0 = nowMs();
  const deadline = t0 + limits.maxMs;
  const loop = async (c: LoopClient): Promise<void> => {
    while (started < limits.maxMessages && nowMs() < deadline) {
      const i = started++;
      const t = nowMs();
      try {
        await c.send(i);
        latencies.push(nowMs() - t);
      } catch (err) {
        failed++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(clients.map(loop));
  const elapsedMs = nowMs() - t0;
  return {
    ok: latencies.length,
    failed,
    firstError,
    elapsedMs,
    perSecond: (latencies.length / elapsedMs) * 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

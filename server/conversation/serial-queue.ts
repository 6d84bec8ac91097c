/**
 * Runs tasks one after another per key (per conversation), so two quick visitor messages never
 * run two engine turns over the same state at once. Keys with nothing queued are forgotten.
 */
export function createSerialQueue() {
  const tails = new Map<string, Promise<void>>();
  return {
    run(key: string, task: () => Promise<void>): Promise<void> {
      const prev = tails.get(key) ?? Promise.resolve();
      const next = prev.then(task, task).catch(() => undefined);
      tails.set(key, next);
      void next.then(() => {
        if (tails.get(key) === next) tails.delete(key);
      });
      return next;
    },
    /** resolves when everything queued so far has run (tests, shutdown) */
    async idle(): Promise<void> {
      while (tails.size > 0) await Promise.all([...tails.values()]);
    },
  };
}

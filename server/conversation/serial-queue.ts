/**
 * Runs tasks one after another per key (per conversation, per visitor), so two quick visitor
 * messages never run two engine turns over the same state at once. A failed task does not stop
 * the ones queued after it. Keys with nothing queued are forgotten.
 */
export function createSerialQueue() {
  const tails = new Map<string, Promise<void>>();
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const prev = tails.get(key) ?? Promise.resolve();
      const result = prev.then(task);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    /** resolves when everything queued so far has run (tests, shutdown) */
    async idle(): Promise<void> {
      while (tails.size > 0) await Promise.all([...tails.values()]);
    },
  };
}

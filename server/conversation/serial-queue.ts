/**
 * Runs tasks one after another per key (per conversation, per visitor), so two quick visitor
 * messages never run two engine turns over the same state at once. A failed task does not stop
 * the ones queued after it. Keys with nothing queued are forgotten.
 */
export function createSerialQueue() {
  /** each key's last task, settled either way (an object, so it is compared by identity) */
  const tails = new Map<string, { settled: Promise<void> }>();
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const prev = tails.get(key);
      const result = (prev ? prev.settled : Promise.resolve()).then(task);
      const tail = {
        settled: result.then(
          () => undefined,
          () => undefined,
        ),
      };
      tails.set(key, tail);
      void tail.settled.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    /** resolves when everything queued so far has run (tests, shutdown) */
    async idle(): Promise<void> {
      while (tails.size > 0) await Promise.all([...tails.values()].map((t) => t.settled));
    },
  };
}

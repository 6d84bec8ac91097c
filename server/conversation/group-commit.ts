/**
 * Group commit: work submitted during one event-loop turn is written in one transaction, flushed
 * from setImmediate (a microtask would flush after every socket event: batches of one), and each
 * caller's promise settles only after that transaction committed. One commit per tick instead of
 * one per message is most of what a visitor message costs.
 *
 * `write` runs inside the transaction once per item, in submission order. An item whose write
 * throws is rolled back alone (savepoint) and only its caller sees the error; if the transaction
 * itself fails, every caller in the batch gets the error and nothing of the batch is kept. With
 * `savepoints: 'on-failure'` (the conversation service's choice) items are written without
 * savepoints first and a flush in which one fails is rolled back and written again with them:
 * same outcome, and `write` must be safe to run twice (database work only).
 * `after` runs once the batch committed, before the callers hear back (events, follow-up work).
 *
 * Several group commits may share one committer (visitor messages and bot replies): what all of
 * them gathered in a tick then goes out in a single transaction, lanes in creation order.
 */
export interface GroupCommitDeps {
  /** runs `fn` in one transaction; nested calls inside it become savepoints */
  tx<T>(fn: () => Promise<T>): Promise<T>;
  /** `after` threw: the flush runs outside any caller, so this is the only place to hear of it */
  onAfterError(err: unknown): void;
  /** share this committer's transactions; without it the group commit has its own */
  committer?: Committer;
  /**
   * errors `write` throws only before it has written anything (a refusal after its reads): in a
   * flush written without savepoints the item fails alone and the batch goes on, instead of the
   * whole batch being rolled back and written again (one client's mistakes would double the cost
   * of everyone's messages in its batch)
   */
  refusedBeforeWriting?(error: unknown): boolean;
}

type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Pending<I, R> {
  item: I;
  resolve(value: R): void;
  reject(error: unknown): void;
}

/** one group commit's share of a flush */
interface Lane {
  /** the items gathered since the last flush, or null when there are none */
  take(): {
    /**
     * Writes the items inside the flush's transaction (again from the start when called again).
     * `savepoints`: each item in its own savepoint, a failing one rolled back alone; without,
     * the first failing item throws `ItemFailed` and the flush is written again with savepoints.
     */
    write(savepoints: boolean): Promise<void>;
    failed(error: unknown): void;
    committed(): void;
  } | null;
}

/** an item failed in a flush written without savepoints: roll it all back, write it again with them */
class ItemFailed extends Error {
  constructor() {
    super('an item of the batch failed; written again with savepoints');
  }
}

export interface CommitterOptions {
  /**
   * 'each' (default): every item in its own savepoint. 'on-failure': items are written without
   * savepoints (two round trips each on PostgreSQL); when one fails, the whole transaction is
   * rolled back and written again with a savepoint per item, so the failing item alone is lost.
   * Needs writes that may run twice (database work only).
   */
  savepoints?: 'each' | 'on-failure';
}

/**
 * Flushes every lane's pending work in one transaction from setImmediate. One flush at a time:
 * what arrives while a transaction is being written waits for the next flush, which starts as
 * soon as this one has settled (and so gathers everything that came meanwhile).
 */
export function createCommitter(tx: <T>(fn: () => Promise<T>) => Promise<T>, options: CommitterOptions = {}) {
  const optimistic = options.savepoints === 'on-failure';
  const lanes: Lane[] = [];
  let scheduled = false;
  /** the flush under way (held in an object: a bare promise is not a condition) */
  let flushing: { done: Promise<void> } | null = null;

  async function write(batches: NonNullable<ReturnType<Lane['take']>>[]): Promise<void> {
    const attempt = (savepoints: boolean) =>
      tx(async () => {
        for (const b of batches) await b.write(savepoints);
      });
    try {
      if (!optimistic) await attempt(true);
      else {
        try {
          await attempt(false);
        } catch (error) {
          if (!(error instanceof ItemFailed)) throw error;
          await attempt(true);
        }
      }
    } catch (error) {
      for (const b of batches) b.failed(error);
      return;
    }
    for (const b of batches) b.committed();
  }

  function flush(): void {
    scheduled = false;
    const batches = lanes.map((l) => l.take()).filter((b) => b !== null);
    if (batches.length === 0) return;
    flushing = {
      done: write(batches).finally(() => {
        flushing = null;
        if (scheduled) setImmediate(flush);
      }),
    };
  }

  return {
    addLane(lane: Lane): void {
      lanes.push(lane);
    },
    schedule(): void {
      if (scheduled) return;
      scheduled = true;
      // a flush in progress starts the next one when it settles
      if (!flushing) setImmediate(flush);
    },
    /** resolves once everything submitted so far has been written and its callers told */
    async idle(): Promise<void> {
      await new Promise((resolve) => setImmediate(resolve));
      while (flushing || scheduled) {
        if (flushing) await flushing.done;
        else await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}
export type Committer = ReturnType<typeof createCommitter>;

export function createGroupCommit<I, R>(
  deps: GroupCommitDeps,
  write: (item: I) => Promise<R>,
  after: (committed: { item: I; value: R }[]) => void = () => undefined,
) {
  const committer = deps.committer ?? createCommitter((fn) => deps.tx(fn));
  let pending: Pending<I, R>[] = [];

  committer.addLane({
    take() {
      const batch = pending;
      pending = [];
      if (batch.length === 0) return null;
      let results: Settled<R>[] = [];
      return {
        async write(savepoints) {
          results = [];
          // in submission order, inside the flush's transaction
          for (const p of batch) {
            if (!savepoints) {
              try {
                results.push({ ok: true, value: await write(p.item) });
              } catch (error) {
                if (!deps.refusedBeforeWriting?.(error)) throw new ItemFailed();
                results.push({ ok: false, error });
              }
              continue;
            }
            // each item is its own savepoint
            try {
              results.push({ ok: true, value: await deps.tx(() => write(p.item)) });
            } catch (error) {
              results.push({ ok: false, error });
            }
          }
        },
        failed(error) {
          for (const p of batch) p.reject(error);
        },
        committed() {
          const done: { item: I; value: R }[] = [];
          results.forEach((r, i) => {
            if (r.ok) done.push({ item: batch[i]!.item, value: r.value });
          });
          try {
            after(done);
          } catch (err) {
            deps.onAfterError(err);
          }
          // the writes are durable whatever `after` did: every caller hears its own outcome
          results.forEach((r, i) => (r.ok ? batch[i]!.resolve(r.value) : batch[i]!.reject(r.error)));
        },
      };
    },
  });

  return {
    /** resolves once everything submitted so far has been written (tests, shutdown) */
    idle(): Promise<void> {
      return committer.idle();
    },
    /** resolves with `write(item)`'s result once the batch holding it has committed */
    submit(item: I): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        pending.push({ item, resolve, reject });
        committer.schedule();
      });
    },
  };
}
export type GroupCommit<I, R> = ReturnType<typeof createGroupCommit<I, R>>;

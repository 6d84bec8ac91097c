/**
 * Runs durable jobs from the `jobs` table. Jobs are claimed with a lease (locked_until) in one
 * transaction; a job whose worker died becomes due again when its lease runs out, so a restart
 * loses none. Attempts are counted at claim time, so a job that crashes the process every time
 * still ends up dead instead of looping forever. An outcome is written only while this claim still
 * holds the job: a handler that outlived its lease and lost the job to another claim has its
 * outcome dropped (logged): only the current holder settles it (its handler may still have run
 * twice; handlers stay idempotent).
 */
import type { Logger } from '../logger.ts';
import type { Job, JobsStore } from '../store/jobs.ts';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.ts';
import { PermanentJobError } from './permanent-error.ts';

/** What a job that succeeded may report: a problem it worked around, shown as its last error. */
export interface JobOutcome {
  note?: string | null;
}

export type JobHandler = (payload: unknown, job: Job) => Promise<void | JobOutcome>;

export interface JobWorkerOptions {
  jobs: JobsStore;
  handlers: Record<string, JobHandler>;
  /** jobs run at the same time */
  concurrency?: number;
  /** after this many failed attempts the job is dead (its last error is kept) */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /** how long a claimed job stays ours; longer than any handler should take */
  leaseMs?: number;
  /** how often to look for due jobs when idle */
  pollMs?: number;
  log: Logger;
}

export interface JobWorker {
  start(): void;
  /** stop claiming; resolves when the running jobs have finished */
  stop(): Promise<void>;
  /** look for due jobs now (e.g. right after an enqueue) */
  wake(): void;
  /** run until no job is due or running; for CLIs and tests (does not need start) */
  drain(): Promise<void>;
}

const errorText = (err: unknown) => (err instanceof Error ? err.stack ?? err.message : String(err)).slice(0, 4000);

export function createJobWorker(opts: JobWorkerOptions): JobWorker {
  const kinds = Object.keys(opts.handlers);
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 5);
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const leaseMs = opts.leaseMs ?? 5 * 60_000;
  const pollMs = opts.pollMs ?? 1_000;
  const running = new Set<Promise<void>>();
  let started = false;
  let timer: NodeJS.Timeout | null = null;
  const idleWaiters: (() => void)[] = [];
  /** outcomes the database refused to record (disk full, read-only): written again on the next poll */
  const unsettled: { job: Job; write: () => Promise<boolean> }[] = [];

  /**
   * record a job's outcome; a storage fault keeps it for later instead of crashing the worker.
   * False when it was dropped: the lease had run out and another claim holds the job now (a
   * handler slower than the lease), whose outcome is the one that counts.
   */
  async function settle(job: Job, write: () => Promise<boolean>): Promise<boolean> {
    let recorded: boolean;
    try {
      recorded = await write();
    } catch (err) {
      opts.log.error({ err, jobId: job.id }, 'recording a job outcome failed; will try again');
      unsettled.push({ job, write });
      return true;
    }
    if (!recorded) opts.log.warn({ jobId: job.id, kind: job.kind, attempts: job.attempts }, 'late job outcome dropped: its lease ran out and the job was claimed again');
    return recorded;
  }

  async function settleLater(): Promise<void> {
    // in the order they failed; few, and only after a storage fault
    for (const u of unsettled.splice(0)) await settle(u.job, u.write);
  }

  async function run(job: Job): Promise<void> {
    const handler = Object.hasOwn(opts.handlers, job.kind) ? opts.handlers[job.kind] : undefined;
    let failure: unknown = null;
    let note: string | null = null;
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      const outcome = await handler(job.payload, job);
      note = outcome?.note ? outcome.note.slice(0, 4000) : null;
    } catch (err) {
      failure = err ?? new Error('job failed');
    }
    if (failure === null) {
      await settle(job, () => opts.jobs.complete(job, Date.now(), note));
      return;
    }
    const dead = job.attempts >= maxAttempts || failure instanceof PermanentJobError;
    const retryAt = dead ? null : Date.now() + backoffDelay(job.attempts, backoff);
    if (!(await settle(job, () => opts.jobs.fail(job, errorText(failure), retryAt)))) return;
    opts.log[dead ? 'error' : 'warn']({ err: failure, jobId: job.id, kind: job.kind, attempts: job.attempts }, dead ? 'job dead' : 'job failed; will retry');
  }

  /** the claim under way (held in an object: a bare promise is not a condition) */
  let filling: { done: Promise<void> } | null = null;
  let fillAgain = false;

  /**
   * claim as many due jobs as there are free slots. One claim at a time: two overlapping claims
   * would both count the same free slots; a call made meanwhile makes the running one look again.
   */
  function fill(): Promise<void> {
    if (filling) {
      fillAgain = true;
      return filling.done;
    }
    const done = (async () => {
      do {
        fillAgain = false;
        await fillOnce();
      } while (fillAgain);
    })().finally(() => {
      filling = null;
    });
    filling = { done };
    return done;
  }

  async function fillOnce(): Promise<void> {
    if (unsettled.length > 0) await settleLater();
    const free = concurrency - running.size;
    if (free <= 0 || kinds.length === 0) return;
    let jobs: Job[];
    try {
      jobs = await opts.jobs.claim(kinds, free, leaseMs);
    } catch (err) {
      opts.log.error({ err }, 'claiming jobs failed');
      return;
    }
    for (const job of jobs) {
      const p: Promise<void> = run(job).finally(() => {
        running.delete(p);
        onSlotFreed();
      });
      running.add(p);
    }
  }

  function onSlotFreed(): void {
    const refill = started || idleWaiters.length ? fill() : Promise.resolve();
    // idle only once the refill found nothing more to start
    void refill.then(() => {
      if (running.size === 0) for (const w of idleWaiters.splice(0)) w();
    });
  }

  function schedule(): void {
    if (!started) return;
    timer = setTimeout(() => {
      void fill().then(schedule);
    }, pollMs);
    timer.unref();
  }

  return {
    start() {
      if (started) return;
      started = true;
      void fill();
      schedule();
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = null;
      // a claim under way adds its jobs to `running` when it ends
      if (filling) await filling.done;
      await Promise.allSettled([...running]);
    },
    wake() {
      if (started) void fill();
    },
    async drain() {
      for (;;) {
        await fill();
        // a slot freed meanwhile started another claim: its jobs are not in `running` yet
        if (filling) continue;
        if (running.size > 0) {
          await new Promise<void>((resolve) => idleWaiters.push(resolve));
          continue;
        }
        // Nothing running and nothing claimable: wait for a retry that is due soon, else done.
        const next = await opts.jobs.nextDueAt(kinds);
        if (next === null) return;
        await new Promise((resolve) => setTimeout(resolve, Math.max(5, next - Date.now())));
      }
    },
  };
}

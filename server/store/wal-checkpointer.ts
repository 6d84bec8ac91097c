/**
 * WAL checkpoints on a worker thread. A PASSIVE checkpoint copies the frames committed since the
 * last one into the database file; at a few thousand messages a second that took tens of
 * milliseconds, and on the event loop every message arriving meanwhile waited for it. The worker
 * has its own connection to the same file (WAL lets a checkpointer run beside the writer) and its
 * own timer; when the connection that opened the database is closed, the worker closes its own and
 * ends. A worker that cannot start or fails leaves the checkpoints
 * to the caller's thread (`fallback`).
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { Db } from './db.ts';

// plain CommonJS, run with `eval`: no TypeScript loader is needed inside the worker
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 0');
// its own timer: checkpoints go on while the event loop that opened the database is busy
const timer = setInterval(() => {
  // a failed checkpoint (a full disk) leaves the frames in the WAL: the next tick tries again
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m !== 'close') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** the running checkpointer of each database opened with one */
const running = new WeakMap<Db, Worker>();

/**
 * Stop `db`'s checkpointer and wait until its connection is closed, before closing `db`: then
 * `db` is the last connection and closing it checkpoints and removes the WAL, as SQLite does.
 */
export async function stopCheckpoints(db: Db): Promise<void> {
  const worker = running.get(db);
  if (!worker) return;
  running.delete(db);
  const exited = once(worker, 'exit');
  worker.postMessage('close');
  await exited;
}

/** where better-sqlite3 resolves from here (the worker requires the same copy) */
const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * Checkpoint `db` (opened at `path`) every `everyMs` on a worker. Returns false when no worker
 * could be started; the caller then checkpoints on its own thread.
 */
export function checkpointOnWorker(db: Db, path: string, everyMs: number, fallback: () => void): boolean {
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver: DRIVER, everyMs } });
  } catch {
    return false;
  }
  // neither the worker nor its timer may keep a finished process (a CLI, a test) alive
  worker.unref();
  let failed = false;
  running.set(db, worker);
  const giveUp = (): void => {
    if (failed) return;
    failed = true;
    running.delete(db);
    void worker.terminate();
  };
  worker.on('error', giveUp);
  // this thread's part: notice the database was closed (the worker's connection goes too), and
  // checkpoint here should the worker have died
  const timer = setInterval(() => {
    if (!db.open) {
      clearInterval(timer);
      if (running.get(db) === worker) {
        running.delete(db);
        worker.postMessage('close');
      }
      return;
    }
    if (failed) fallback();
  }, everyMs);
  timer.unref();
  return true;
}

import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointWal, openDb, type Db } from './db.ts';
import { stopCheckpoints } from './wal-checkpointer.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-db-'));
  dirs.push(dir);
  return join(dir, 'parley.db');
}

/** one commit per row, as visitor messages arrive: every commit appends frames to the WAL */
function writeRows(db: Db, n: number): void {
  db.exec('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  for (let i = 0; i < n; i++) insert.run('x'.repeat(2000));
}

const walBytes = (path: string): number => (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);

describe('WAL checkpoints', () => {
  it('commits leave checkpointing to the timer (no stall inside a commit), and the timer catches up', () => {
    const path = tempPath();
    const db = openDb(path, { checkpointMs: 0 });
    writeRows(db, 1500);
    // SQLite's default would have checkpointed inside the commit that crossed 1,000 pages
    const pending = checkpointWal(db);
    expect(pending.log).toBeGreaterThan(1000);
    expect(pending.checkpointed).toBe(pending.log);
    // another connection reading the database file alone sees everything once the WAL is gone
    db.close();
    expect(walBytes(path)).toBe(0);
    const again = openDb(path, { checkpointMs: 0 });
    expect(again.prepare('SELECT count(*) FROM t').pluck().get()).toBe(1500);
    again.close();
  });

  it('keeps the WAL bounded when no timer ever runs', () => {
    const path = tempPath();
    const db = openDb(path, { checkpointMs: 0, walBackstopPages: 200 });
    const pageSize = Number(db.pragma('page_size', { simple: true }));
    let largest = 0;
    for (let round = 0; round < 20; round++) {
      writeRows(db, 100);
      largest = Math.max(largest, walBytes(path));
    }
    // 2,000 rows of 2 KB are ~1,000 pages; the WAL never holds much more than the backstop
    expect(largest).toBeLessThan(400 * pageSize);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(2000);
    db.close();
  });

  it('the timer checkpoints an idle database on its own', async () => {
    const path = tempPath();
    const db = openDb(path, { checkpointMs: 20 });
    writeRows(db, 50);
    // the rows sit in the WAL; the database file grows only when a checkpoint copies them over
    expect(statSync(path).size).toBeLessThan(50 * 2000);
    // wait (no time limit asserted) until a tick has copied the frames into the database file
    for (let i = 0; i < 500 && statSync(path).size < 50 * 2000; i++) await new Promise((r) => setTimeout(r, 20));
    expect(statSync(path).size).toBeGreaterThan(50 * 2000);
    db.close();
  });
  it('on a worker, checkpoints go on while the event loop that writes is busy, and closing removes the WAL', async () => {
    const path = tempPath();
    const db = openDb(path, { checkpointMs: 20, checkpointOn: 'worker' });
    writeRows(db, 50);
    expect(statSync(path).size).toBeLessThan(50 * 2000);
    // this thread never yields here (no timer of its own can run): only the worker can copy the
    // frames over; the loop is bounded so a build without the worker fails instead of hanging
    const deadline = Date.now() + 20_000;
    while (statSync(path).size < 50 * 2000 && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    expect(statSync(path).size).toBeGreaterThan(50 * 2000);
    await stopCheckpoints(db);
    db.close();
    // the last connection to close checkpoints and deletes the WAL
    expect(existsSync(`${path}-wal`)).toBe(false);
  });
});

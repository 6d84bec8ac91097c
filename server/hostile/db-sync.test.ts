/** PARLEY_DB_SYNC=full: the server's connection runs SQLite with synchronous=FULL (durable across power loss). */
import { afterEach, describe, expect, it } from 'vitest';
import { startRealServer, type HostileServer } from './kit.ts';

const running: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

// SQLite's numbers: 1 = NORMAL, 2 = FULL
describe('PARLEY_DB_SYNC', () => {
  it('full sets synchronous=FULL on the server connection; the default is NORMAL (WAL either way)', async () => {
    const full = await startRealServer({ PARLEY_DB_SYNC: 'full' });
    running.push(full);
    expect(full.server.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(full.server.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const normal = await startRealServer();
    running.push(normal);
    expect(normal.server.db.pragma('synchronous', { simple: true })).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { benchMessagingPostgres } from './messaging-postgres.ts';

// small counts: this checks the benchmark runs end to end on a real PostgreSQL and Redis, with
// one and two Parley instances, and reports every figure beside the echo; not speed
describe('messaging on PostgreSQL benchmark', () => {
  it('reports the message path on one and two instances beside the bare echo, with no failed send', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
    let rows;
    try {
      rows = await benchMessagingPostgres({ clients: 4, maxMessages: 40, maxMs: 1_500 });
    } finally {
      console.warn = warn;
    }
    expect(warnings).toEqual([]);
    const names = rows.map((r) => r.name);
    expect(names[0]).toBe('socket.io echo+ack (4 clients, PostgreSQL run)');
    for (const engine of ['PostgreSQL', 'PostgreSQL, 2 instances + Redis']) {
      for (const name of [
        `parley message:send on ${engine}, silent bot (4 clients)`,
        `parley message:send on ${engine} (4 clients)`,
        `parley message:send on ${engine} p99`,
        `parley send -> bot reply on ${engine} p50`,
        `parley send -> bot reply on ${engine} p99`,
      ]) {
        expect(names).toContain(name);
      }
    }
    for (const r of rows) {
      expect(Number.isFinite(r.value), r.name).toBe(true);
      expect(r.value, r.name).toBeGreaterThan(0);
      if (r !== rows[0]) {
        expect(r.baseline, r.name).toBeGreaterThan(0);
        expect(r.ratio, r.name).toBeCloseTo(r.value / r.baseline!, 6);
      }
    }
  }, 400_000);
});

import { describe, expect, it } from 'vitest';
import { benchIdleConnections, benchLoad } from './load.ts';

// small counts: this checks the benchmarks run end to end and report beside the echo, not speed
describe('load benchmarks', () => {
  it('visitors at a human pace: every message is acked and reported beside the echo under the same load', async () => {
    const rows = await benchLoad({ visitors: 20, seconds: 1 });
    expect(rows.map((r) => r.name)).toEqual([
      'parley message:send round trip p50 (20 visitors at 1 msg/s)',
      'parley message:send round trip p99 (20 visitors at 1 msg/s)',
    ]);
    for (const r of rows) {
      expect(r.value).toBeGreaterThan(0);
      expect(r.baseline).toBeGreaterThan(0);
    }
  }, 120_000);

  it('idle connections: server memory per connection beside the bare echo', async () => {
    const rows = await benchIdleConnections({ connections: 50 });
    expect(rows.map((r) => r.name)).toEqual(['server memory per idle visitor connection (50)']);
    expect(Number.isFinite(rows[0]!.value)).toBe(true);
    expect(Number.isFinite(rows[0]!.baseline)).toBe(true);
  }, 120_000);
});

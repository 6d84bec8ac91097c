import { describe, expect, it } from 'vitest';
import { median, percentile } from './stats.ts';
import { row } from './row.ts';
import { formatTable } from './table.ts';

describe('benchmark figures', () => {
  it('takes percentiles by nearest rank, whatever the order of the samples', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 .. 1
    expect(median(samples)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('states each value as a ratio to its baseline, and none without one', () => {
    expect(row('echo', 200, 'msg/s', 400).ratio).toBe(0.5);
    expect(row('raw', 5, 'KB', null).ratio).toBeNull();
  });

  it('prints one aligned table with the ratio beside each baseline', () => {
    const table = formatTable([row('parley message:send', 1234.5, 'msg/s', 2469, 'echo'), row('echo', 2469, 'msg/s', null, 'baseline')]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^benchmark\s+value\s+unit\s+baseline\s+ratio\s+baseline is$/);
    expect(lines[2]).toMatch(/^parley message:send\s+1,235\s+msg\/s\s+2,469\s+0\.5x\s+echo$/);
    expect(lines[3]).toMatch(/^echo\s+2,469\s+msg\/s\s+-\s+-\s+baseline$/);
    expect(new Set(lines.map((l) => l.indexOf('msg/s')).filter((i) => i > 0)).size).toBe(1);
  });
});

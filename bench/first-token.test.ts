import { describe, expect, it } from 'vitest';
import { benchFirstToken } from './first-token.ts';

describe('benchFirstToken', () => {
  it('measures the engine and the raw upstream and compares them', async () => {
    const rows = await benchFirstToken({ samples: 3, warmup: 1 });
    expect(rows.map((r) => r.name)).toEqual(['first token via engine, median', 'first token via engine, p99']);
    for (const r of rows) {
      expect(Number.isFinite(r.value) && r.value > 0).toBe(true);
      expect(Number.isFinite(r.baseline) && r.baseline > 0).toBe(true);
      expect(r.ratio).toBeCloseTo(r.value / r.baseline);
      expect(r.unit).toBe('ms');
    }
  });
});

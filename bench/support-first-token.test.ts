import { describe, expect, it } from 'vitest';
import { benchSupportFirstToken } from './support-first-token.ts';

describe('benchSupportFirstToken', () => {
  it('measures support answers through the engine beside the raw upstream, and counts the requests before the stream', async () => {
    const rows = await benchSupportFirstToken({ samples: 12, warmup: 2 });
    const byName = new Map(rows.map((r) => [r.name, r]));
    for (const r of rows) expect(Number.isFinite(r.value)).toBe(true);
    expect(byName.get('support first token via engine, median')?.baseline).toBeGreaterThan(0);
    // the eval set mixes questions the offline reader places (no request first) with ones it cannot (embedded first)
    const before = byName.get('upstream requests before the answer stream, per turn')?.value ?? Number.NaN;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(1);
  });
});

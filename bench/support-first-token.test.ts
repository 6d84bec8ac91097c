import { describe, expect, it } from 'vitest';
import { benchSupportFirstToken } from './support-first-token.ts';

describe('benchSupportFirstToken', () => {
  it('measures support answers through the engine beside the raw upstream, and counts the requests per turn', async () => {
    const rows = await benchSupportFirstToken({ samples: 12, warmup: 2 });
    const byName = new Map(rows.map((r) => [r.name, r]));
    for (const r of rows) expect(Number.isFinite(r.value)).toBe(true);
    expect(byName.get('support first token via engine, median')?.baseline).toBeGreaterThan(0);
    // the eval set mixes questions the offline reader places (no embedding) with ones it cannot (embedded beside the answer)
    const embeds = byName.get('embedding requests per turn')?.value ?? Number.NaN;
    expect(embeds).toBeGreaterThan(0);
    expect(embeds).toBeLessThan(1);
    expect(byName.get('chat requests per turn')?.value).toBeGreaterThanOrEqual(1);
    const aborted = byName.get('speculative answer requests aborted, share of turns')?.value ?? Number.NaN;
    expect(aborted).toBeGreaterThanOrEqual(0);
    expect(aborted).toBeLessThan(1);
    expect(byName.get('upstream requests the answer stream waited for, per turn')?.value).toBeLessThan(embeds + aborted + 1e-9);
  });
});

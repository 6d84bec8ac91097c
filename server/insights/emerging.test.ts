import { describe, expect, it } from 'vitest';
import { seededRandom } from './rng.ts';
import { twoProportionZ } from './stats.ts';
import { insightKit } from './test-kit.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-30T18:00:00Z');
const STEADY = ['Delivery', 'Pricing', 'Product quality', 'Customer service', 'Sizing & fit', 'Website & checkout'];

/** 35 days x 16 conversations, each steady topic at its own constant rate */
async function history(spike: { topic: string; baseRate: number; recentRate: number } | null, blipPhrase: number) {
  const kit = await insightKit({ now: NOW });
  const rand = seededRandom(7);
  const first = Date.parse('2026-05-27T09:00:00Z'); // 35 days ending 30 June
  let blips = 0;
  for (let d = 0; d < 35; d++) {
    const recent = d >= 28;
    for (let i = 0; i < 16; i++) {
      const topics = STEADY.filter((_, k) => rand() < 0.08 + 0.04 * k);
      if (spike && rand() < (recent ? spike.recentRate : spike.baseRate)) topics.push(spike.topic);
      const keyPhrases = recent && blips < blipPhrase && i === 3 ? ['gift card balance'] : [];
      if (keyPhrases.length) blips++;
      await kit.add({ startedAt: first + d * DAY + i * 600_000, topics, keyPhrases, visitor: [`Conversation ${d}-${i} about ${topics.join(' and ') || 'nothing much'}, thanks.`] });
    }
  }
  return kit;
}

describe('emerging topics', () => {
  it('flags an injected spike, with its figures, quotes and a stated test', async () => {
    const kit = await history({ topic: 'Payment & billing', baseRate: 0.02, recentRate: 0.3 }, 0);
    const r = await kit.insights.emerging({ siteId: kit.siteId, windowDays: 7, baselineDays: 28 });
    expect(r.window).toMatchObject({ from: '2026-06-24', to: '2026-06-30', conversations: 112 });
    expect(r.baseline).toMatchObject({ from: '2026-05-27', to: '2026-06-23', conversations: 448 });
    expect(r.terms.map((t) => t.name)).toEqual(['Payment & billing']);
    const t = r.terms[0]!;
    expect(t.recent).toBeGreaterThanOrEqual(r.minCount);
    expect(t.recentShare).toBeGreaterThan(t.baselineShare * 3);
    expect(t.q).toBeLessThan(0.05);
    expect(t.quotes.length).toBeGreaterThan(0);
    expect(t.quotes[0]!.text).toContain('Payment & billing');
    expect(r.method).toMatch(/two-proportion z-test/);
    expect(r.method).toMatch(/Benjamini-Hochberg/);
  });

  it('does not flag steady noise', async () => {
    const kit = await history(null, 0);
    const r = await kit.insights.emerging({ siteId: kit.siteId, windowDays: 7, baselineDays: 28 });
    expect(r.tested).toBeGreaterThanOrEqual(STEADY.length);
    expect(r.terms).toEqual([]);
  });

  it('does not flag a new phrase seen in fewer conversations than the minimum count', async () => {
    const kit = await history(null, 4);
    const r = await kit.insights.emerging({ siteId: kit.siteId, windowDays: 7, baselineDays: 28 });
    expect(r.minCount).toBe(5);
    // without the minimum count this blip would look highly significant (4 of 112 against 0 of 448)
    expect(twoProportionZ(4, 112, 0, 448).p).toBeLessThan(0.001);
    expect(r.terms.map((t) => t.name)).not.toContain('gift card balance');
  });
});

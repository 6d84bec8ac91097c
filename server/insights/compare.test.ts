import { describe, expect, it } from 'vitest';
import { insightKit } from './test-kit.ts';

const NOW = Date.parse('2026-05-20T12:00:00Z');

describe('comparing two segments', () => {
  it('NPS difference, Wilson and Newcombe intervals match values computed by hand', async () => {
    const kit = await insightKit({ now: NOW });
    const t = Date.parse('2026-05-10T10:00:00Z');
    let k = 0;
    const add = async (source: string, nps: number, csat: number | null) =>
      await kit.add({ startedAt: t + k++, source, ratings: [{ type: 'nps', value: nps }, ...(csat === null ? [] : [{ type: 'csat' as const, value: csat }])] });
    // widget: 20 answers, 10 promoters, 4 detractors (NPS 30); CSAT 16 of 20 satisfied
    for (let i = 0; i < 20; i++) await add('widget', i < 10 ? 9 : i < 16 ? 7 : 3, i < 16 ? 5 : 2);
    // api: 25 answers, 5 promoters, 10 detractors (NPS -20); CSAT 10 of 25 satisfied
    for (let i = 0; i < 25; i++) await add('api', i < 5 ? 10 : i < 15 ? 8 : 1, i < 10 ? 4 : 1);
    const period = { siteId: kit.siteId, from: '2026-05-01', to: '2026-05-20' };
    const c = await kit.insights.compare({ a: { ...period, source: 'widget' }, b: { ...period, source: 'api' } });
    expect([c.a.responses, c.b.responses]).toEqual([20, 25]);

    const nps = c.metrics.find((m) => m.metric === 'nps')!;
    // var_a = 10000 (0.5 + 0.2 - 0.09) / 20 = 305; var_b = 10000 (0.2 + 0.4 - 0.04) / 25 = 224
    // delta = -20 - 30 = -50; half = 1.959964 * sqrt(529) = 45.0792
    expect(nps.a.value).toBe(30);
    expect(nps.b.value).toBe(-20);
    expect(nps.delta).toBe(-50);
    expect(nps.deltaCi).toEqual({ low: -95.1, high: -4.9 });
    expect(nps.significant).toBe(true);
    // a's own interval: 30 -/+ 1.959964 * sqrt(305) = 34.2293
    expect(nps.a.ci).toEqual({ low: -4.2, high: 64.2 });

    const csat = c.metrics.find((m) => m.metric === 'csat')!;
    expect(csat.a.value).toBe(80);
    expect(csat.b.value).toBe(40);
    // Wilson 16/20: centre (0.8 + 0.096036) / 1.192073 = 0.751662, half (1.959964/1.192073) sqrt(0.008 + 0.0024009) = 0.167707
    expect(csat.a.ci).toEqual({ low: 58.4, high: 91.9 });
    // Wilson 10/25: centre (0.4 + 0.076829) / 1.153659 = 0.413319, half (1.959964/1.153659) sqrt(0.0096 + 0.0015366) = 0.179267
    expect(csat.b.ci).toEqual({ low: 23.4, high: 59.3 });
    // Newcombe (b - a): d = -0.4; low = -0.4 - sqrt((0.4 - 0.234052)^2 + (0.919369 - 0.8)^2) = -0.604271
    //                              high = -0.4 + sqrt((0.592586 - 0.4)^2 + (0.8 - 0.583955)^2) = -0.110684
    expect(csat.delta).toBe(-40);
    expect(csat.deltaCi).toEqual({ low: -60.4, high: -11.1 });
    expect(csat.significant).toBe(true);
  });

  it('marks a difference whose interval includes zero as not significant', async () => {
    const kit = await insightKit({ now: NOW });
    const t = Date.parse('2026-05-10T10:00:00Z');
    // a period against the one before it: 3 of 6 promoters vs 2 of 6
    for (const [i, v] of [10, 9, 9, 7, 3, 2].entries()) await kit.add({ startedAt: t + i, ratings: [{ type: 'nps', value: v }] });
    for (const [i, v] of [10, 9, 8, 7, 3, 2].entries()) await kit.add({ startedAt: t - 10 * 86_400_000 + i, ratings: [{ type: 'nps', value: v }] });
    const c = await kit.insights.compare({
      a: { siteId: kit.siteId, from: '2026-04-27', to: '2026-05-03' },
      b: { siteId: kit.siteId, from: '2026-05-04', to: '2026-05-10' },
    });
    const nps = c.metrics.find((m) => m.metric === 'nps')!;
    expect(nps.a.value).toBe(0);
    expect(nps.b.value).toBeCloseTo(16.7, 5);
    expect(nps.deltaCi!.low).toBeLessThan(0);
    expect(nps.deltaCi!.high).toBeGreaterThan(0);
    expect(nps.significant).toBe(false);
  });
});

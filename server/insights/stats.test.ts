import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, meanInterval, newcombe, normalCdf, npsDifference, npsInterval, twoProportionZ, wilson } from './stats.ts';

describe('statistics, checked against values worked out by hand', () => {
  it('normal CDF', async () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1.644854)).toBeCloseTo(0.05, 6);
  });

  it('Wilson interval for 8 of 10', async () => {
    // centre = (0.8 + 1.92073/10) / 1.384146 = 0.716741; half = (1.959964/1.384146) * sqrt(0.016 + 0.0096037) = 0.226613
    const i = wilson(8, 10)!;
    expect(i.low).toBeCloseTo(0.490162, 5);
    expect(i.high).toBeCloseTo(0.943318, 5);
  });

  it('Newcombe interval for a difference of proportions (Newcombe 1998, example: 56/70 vs 48/80)', async () => {
    // Newcombe's paper, method 10: 56/70 - 48/80 = 0.2000, 95% CI 0.0524 to 0.3339 (here b - a with a = 48/80)
    const d = newcombe(48, 80, 56, 70)!;
    expect(d.low).toBeCloseTo(0.0524, 3);
    expect(d.high).toBeCloseTo(0.3339, 3);
  });

  it('NPS variance and the interval of a difference', async () => {
    // a: 50 promoters, 20 detractors of 100 -> NPS 30, var = 10000 * (0.7 - 0.09) / 100 = 61
    // b: 30 promoters, 30 detractors of 100 -> NPS 0,  var = 10000 * (0.6 - 0) / 100 = 60
    const ia = npsInterval(50, 20, 100)!;
    expect(ia.low).toBeCloseTo(30 - 1.959964 * Math.sqrt(61), 4);
    const d = npsDifference({ promoters: 50, detractors: 20, n: 100 }, { promoters: 30, detractors: 30, n: 100 })!;
    expect(d.delta).toBeCloseTo(-30, 9);
    // half-width = 1.959964 * sqrt(121) = 21.5596
    expect(d.ci.low).toBeCloseTo(-51.5596, 3);
    expect(d.ci.high).toBeCloseTo(-8.4404, 3);
  });

  it('mean interval from sums', async () => {
    // values 2, 4, 6: mean 4, sample variance 4, se = sqrt(4/3)
    const m = meanInterval(3, 12, 56)!;
    expect(m.mean).toBe(4);
    expect(m.ci.high - 4).toBeCloseTo(1.959964 * Math.sqrt(4 / 3), 5);
  });

  it('two-proportion z-test', async () => {
    // 30/100 vs 100/1000: pooled 130/1100; se = sqrt(p(1-p)(0.01 + 0.001)); z = 0.2 / se
    const pooled = 130 / 1100;
    const se = Math.sqrt(pooled * (1 - pooled) * 0.011);
    const r = twoProportionZ(30, 100, 100, 1000);
    expect(r.z).toBeCloseTo(0.2 / se, 9);
    expect(r.p).toBeLessThan(1e-6);
  });

  it('Benjamini-Hochberg', async () => {
    // p sorted: 0.01, 0.02, 0.03, 0.5 (m = 4): raw 0.04, 0.04, 0.04, 0.5 -> monotone
    expect(benjaminiHochberg([0.03, 0.5, 0.01, 0.02]).map((q) => Number(q.toFixed(6)))).toEqual([0.04, 0.5, 0.04, 0.04]);
  });
});

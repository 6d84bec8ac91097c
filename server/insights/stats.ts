/**
 * The statistics insights state: normal approximation, Wilson score intervals, Newcombe's
 * interval for a difference of proportions, the variance of an NPS, the two-proportion z-test and
 * the Benjamini-Hochberg correction. Small and checked by hand in stats.test.ts.
 */

/** z for a two-sided 95% interval */
export const Z95 = 1.959963984540054;

/** standard normal CDF (Abramowitz-Stegun 7.1.26 via erf; |error| < 1.5e-7) */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

export interface Interval {
  low: number;
  high: number;
}

/** Wilson score interval for x successes of n (proportions 0..1) */
export function wilson(x: number, n: number, z = Z95): Interval | null {
  if (n <= 0) return null;
  const p = x / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Newcombe's hybrid score interval (method 10) for p2 - p1 */
export function newcombe(x1: number, n1: number, x2: number, n2: number, z = Z95): Interval | null {
  const a = wilson(x1, n1, z);
  const b = wilson(x2, n2, z);
  if (!a || !b) return null;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const d = p2 - p1;
  return {
    low: d - Math.sqrt((p2 - b.low) ** 2 + (a.high - p1) ** 2),
    high: d + Math.sqrt((b.high - p2) ** 2 + (p1 - a.low) ** 2),
  };
}

/** NPS (-100..100) and the variance of its estimate, from promoter/detractor counts */
export function npsWithVariance(promoters: number, detractors: number, n: number): { nps: number; variance: number } | null {
  if (n <= 0) return null;
  const p = promoters / n;
  const d = detractors / n;
  // Var(NPS) on the -1..1 scale = (p + d - (p - d)^2) / n; x 100^2 for points
  return { nps: 100 * (p - d), variance: (10_000 * (p + d - (p - d) ** 2)) / n };
}

export function npsInterval(promoters: number, detractors: number, n: number, z = Z95): Interval | null {
  const v = npsWithVariance(promoters, detractors, n);
  if (!v) return null;
  const half = z * Math.sqrt(v.variance);
  return { low: Math.max(-100, v.nps - half), high: Math.min(100, v.nps + half) };
}

/** NPS(b) - NPS(a) and its normal-approximation interval (independent samples) */
export function npsDifference(a: { promoters: number; detractors: number; n: number }, b: { promoters: number; detractors: number; n: number }, z = Z95): { delta: number; ci: Interval } | null {
  const va = npsWithVariance(a.promoters, a.detractors, a.n);
  const vb = npsWithVariance(b.promoters, b.detractors, b.n);
  if (!va || !vb) return null;
  const delta = vb.nps - va.nps;
  const half = z * Math.sqrt(va.variance + vb.variance);
  return { delta, ci: { low: delta - half, high: delta + half } };
}

/** mean with a normal-approximation interval, from n, sum and sum of squares */
export function meanInterval(n: number, sum: number, sumSq: number, z = Z95): { mean: number; variance: number; ci: Interval } | null {
  if (n <= 0) return null;
  const mean = sum / n;
  const sampleVar = n > 1 ? Math.max(0, (sumSq - n * mean * mean) / (n - 1)) : 0;
  const variance = sampleVar / n;
  const half = z * Math.sqrt(variance);
  return { mean, variance, ci: { low: mean - half, high: mean + half } };
}

/**
 * One-sided two-proportion z-test (pooled): is the recent share x1/n1 above the baseline x0/n0?
 */
export function twoProportionZ(x1: number, n1: number, x0: number, n0: number): { z: number; p: number } {
  if (n1 <= 0 || n0 <= 0) return { z: 0, p: 1 };
  const pooled = (x1 + x0) / (n1 + n0);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0));
  if (se === 0) return { z: 0, p: 1 };
  const z = (x1 / n1 - x0 / n0) / se;
  return { z, p: 1 - normalCdf(z) };
}

/** Benjamini-Hochberg adjusted p-values (q-values), in the input order */
export function benjaminiHochberg(pValues: number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const q = new Array<number>(m).fill(1);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const item = order[k];
    if (!item) continue;
    running = Math.min(running, (item.p * m) / (k + 1));
    q[item.i] = Math.min(1, running);
  }
  return q;
}

export function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Two segments side by side. NPS difference: normal approximation with Var(NPS) from the
 * promoter and detractor proportions; proportions: Wilson intervals, Newcombe's hybrid score
 * interval for their difference; CES: difference of means (normal approximation). A difference
 * is significant when its 95% interval excludes 0.
 */
import type { CompareBody, CompareMetric, Comparison, ResolvedFilters } from '../../shared/insights.ts';
import { factFilter, periodSums, resolveFilters, type InsightContext } from './dashboard.ts';
import type { Sums } from './figures.ts';
import { meanInterval, newcombe, npsDifference, npsInterval, wilson, Z95, type Interval } from './stats.ts';

const pct = (i: Interval | null): Interval | null => (i ? { low: i.low * 100, high: i.high * 100 } : null);
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const roundI = (i: Interval | null, f: (x: number) => number): Interval | null => (i ? { low: f(i.low), high: f(i.high) } : null);

function proportion(metric: CompareMetric['metric'], label: string, xa: number, na: number, xb: number, nb: number): CompareMetric {
  const d = newcombe(xa, na, xb, nb);
  return {
    metric,
    label,
    unit: 'percent',
    a: { value: na ? r1((100 * xa) / na) : null, n: na, ci: roundI(pct(wilson(xa, na)), r1) },
    b: { value: nb ? r1((100 * xb) / nb) : null, n: nb, ci: roundI(pct(wilson(xb, nb)), r1) },
    delta: na && nb ? r1(100 * (xb / nb - xa / na)) : null,
    deltaCi: roundI(pct(d), r1),
    significant: d !== null && (d.low > 0 || d.high < 0),
    method: 'Wilson score intervals; Newcombe hybrid score interval for the difference (95%)',
  };
}

export function compareMetrics(a: Sums, b: Sums): CompareMetric[] {
  const nd = npsDifference(
    { promoters: a.promoters, detractors: a.detractors, n: a.nps_n },
    { promoters: b.promoters, detractors: b.detractors, n: b.nps_n },
  );
  const npsOf = (s: Sums) => (s.nps_n ? r1((100 * (s.promoters - s.detractors)) / s.nps_n) : null);
  const ma = meanInterval(a.ces_n, a.ces_sum, a.ces_sq);
  const mb = meanInterval(b.ces_n, b.ces_sum, b.ces_sq);
  const cesDelta = ma && mb ? mb.mean - ma.mean : null;
  const cesHalf = ma && mb ? Z95 * Math.sqrt(ma.variance + mb.variance) : null;
  return [
    {
      metric: 'nps',
      label: 'NPS',
      unit: 'nps',
      a: { value: npsOf(a), n: a.nps_n, ci: roundI(npsInterval(a.promoters, a.detractors, a.nps_n), r1) },
      b: { value: npsOf(b), n: b.nps_n, ci: roundI(npsInterval(b.promoters, b.detractors, b.nps_n), r1) },
      delta: nd ? r1(nd.delta) : null,
      deltaCi: nd ? roundI(nd.ci, r1) : null,
      significant: nd !== null && (nd.ci.low > 0 || nd.ci.high < 0),
      method: 'Var(NPS) = (p + d - (p - d)²) / n from the promoter (p) and detractor (d) shares; normal approximation (95%)',
    },
    proportion('csat', 'CSAT (satisfied)', a.csat_sat, a.csat_n, b.csat_sat, b.csat_n),
    {
      metric: 'ces',
      label: 'Customer effort (1-7)',
      unit: 'mean',
      a: { value: ma ? r2(ma.mean) : null, n: a.ces_n, ci: roundI(ma?.ci ?? null, r2) },
      b: { value: mb ? r2(mb.mean) : null, n: b.ces_n, ci: roundI(mb?.ci ?? null, r2) },
      delta: cesDelta === null ? null : r2(cesDelta),
      deltaCi: cesDelta === null || cesHalf === null ? null : { low: r2(cesDelta - cesHalf), high: r2(cesDelta + cesHalf) },
      significant: cesDelta !== null && cesHalf !== null && Math.abs(cesDelta) > cesHalf,
      method: 'difference of means, normal approximation (95%)',
    },
    proportion('positive', 'Positive sentiment', a.positive, a.sent_n, b.positive, b.sent_n),
    proportion('negative', 'Negative sentiment', a.negative, a.sent_n, b.negative, b.sent_n),
    proportion('follow_up', 'Needs follow-up', a.follow_up, a.n, b.follow_up, b.n),
    proportion('unmet', 'With an unmet expectation', a.unmet_any, a.n, b.unmet_any, b.n),
  ];
}

function describe(f: ResolvedFilters): string {
  const bits = [f.siteId && `site ${f.siteId}`, f.flowId && `flow ${f.flowId}`, f.source && `source ${f.source}`, f.lang && `language ${f.lang}`, f.tag && `tag ${f.tag}`].filter(Boolean);
  return `${bits.join(', ') || 'all'} · ${f.from} – ${f.to}`;
}

export async function compare(ctx: InsightContext, body: CompareBody): Promise<Comparison> {
  const [fa, fb] = await Promise.all([resolveFilters(ctx, body.a), resolveFilters(ctx, body.b)]);
  const q = ctx.store.insights.queries;
  const [a, b, termsA, termsB] = await Promise.all([periodSums(ctx, fa), periodSums(ctx, fb), q.terms(factFilter(fa), 'topic', 200), q.terms(factFilter(fb), 'topic', 200)]);
  const ta = new Map(termsA.map((t) => [t.name, t.n]));
  const tb = new Map(termsB.map((t) => [t.name, t.n]));
  const names = [...new Set([...ta.keys(), ...tb.keys()])];
  const topics = names
    .map((name) => {
      const xa = ta.get(name) ?? 0;
      const xb = tb.get(name) ?? 0;
      const d = newcombe(xa, a.n, xb, b.n);
      const aShare = a.n ? xa / a.n : 0;
      const bShare = b.n ? xb / b.n : 0;
      return {
        name,
        aShare: r1(aShare * 100),
        bShare: r1(bShare * 100),
        delta: r1((bShare - aShare) * 100),
        deltaCi: roundI(pct(d), r1) ?? { low: 0, high: 0 },
        significant: d !== null && (d.low > 0 || d.high < 0),
        weight: xa + xb,
      };
    })
    .sort((x, y) => y.weight - x.weight)
    .slice(0, 12)
    .map(({ weight: _w, ...t }) => t);
  return {
    a: { label: body.labelA ?? describe(fa), filters: fa, responses: a.n },
    b: { label: body.labelB ?? describe(fb), filters: fb, responses: b.n },
    metrics: compareMetrics(a, b),
    topics,
  };
}

/** Folding per-day sums into key figures (a bucket's, a period's). */
import type { KeyFigures } from '../../shared/insights.ts';
import type { DaySums } from '../store/insights.ts';

export type Sums = Omit<DaySums, 'day'>;

export const emptySums = (): Sums => ({
  n: 0, nps_n: 0, promoters: 0, detractors: 0, csat_n: 0, csat_sum: 0, csat_sat: 0, ces_n: 0, ces_sum: 0, ces_sq: 0,
  sent_n: 0, sent_sum: 0, positive: 0, negative: 0, follow_up: 0, unmet_any: 0,
});

export function addSums(into: Sums, d: Sums): Sums {
  for (const k of Object.keys(into) as (keyof Sums)[]) into[k] += d[k];
  return into;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** NPS = % promoters - % detractors (whole points, as usually reported, with one decimal kept) */
export function figuresOf(s: Sums): KeyFigures {
  return {
    responses: s.n,
    nps: {
      score: s.nps_n ? round((100 * (s.promoters - s.detractors)) / s.nps_n, 1) : null,
      n: s.nps_n,
      promoters: s.promoters,
      passives: s.nps_n - s.promoters - s.detractors,
      detractors: s.detractors,
    },
    csat: {
      score: s.csat_n ? round((100 * s.csat_sat) / s.csat_n, 1) : null,
      n: s.csat_n,
      satisfied: s.csat_sat,
      mean: s.csat_n ? round(s.csat_sum / s.csat_n, 2) : null,
    },
    ces: { mean: s.ces_n ? round(s.ces_sum / s.ces_n, 2) : null, n: s.ces_n },
    sentiment: { mean: s.sent_n ? round(s.sent_sum / s.sent_n, 3) : null, n: s.sent_n, positive: s.positive, negative: s.negative },
  };
}

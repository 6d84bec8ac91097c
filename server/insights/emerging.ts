/**
 * Emerging topics and key phrases: a term whose share of conversations in the recent window is
 * significantly above its share in the trailing baseline. Test: one-sided two-proportion z-test
 * (pooled), only for terms seen in at least MIN_COUNT recent conversations, with the
 * Benjamini-Hochberg correction over every term tested (false discovery rate FDR).
 */
import type { EmergingQuery, EmergingResult, EmergingTerm, Quote } from '../../shared/insights.ts';
import { addDays } from '../../shared/zoned-time.ts';
import { distinctBy, factFilter, resolveFilters, type InsightContext } from './dashboard.ts';
import { benjaminiHochberg, twoProportionZ } from './stats.ts';

export const MIN_COUNT = 5;
export const FDR = 0.05;

export async function emerging(ctx: InsightContext, query: EmergingQuery): Promise<EmergingResult> {
  const { windowDays, baselineDays, ...filters } = query;
  const f = await resolveFilters(ctx, filters);
  const windowFrom = addDays(f.to, -(windowDays - 1));
  const baseFrom = addDays(windowFrom, -baselineDays);
  const baseTo = addDays(windowFrom, -1);
  const q = ctx.store.insights.queries;
  const [recentN, baseN, rows] = await Promise.all([
    q.count(factFilter({ ...f, from: windowFrom })),
    q.count(factFilter({ ...f, from: baseFrom, to: baseTo })),
    q.termWindows(factFilter({ ...f, from: baseFrom }), windowFrom, MIN_COUNT),
  ]);
  const tests = rows.map((r) => ({ ...r, ...twoProportionZ(r.recent, recentN, r.baseline, baseN) }));
  const qs = benjaminiHochberg(tests.map((t) => t.p));
  const window = factFilter({ ...f, from: windowFrom });
  const terms: EmergingTerm[] = [];
  for (const [i, t] of tests.entries()) {
    const qv = qs[i] ?? 1;
    if (qv >= FDR || t.z <= 0) continue;
    const picked = distinctBy(await q.termQuotes(window, t.kind, t.name, 12), (x) => x.quote.toLowerCase()).slice(0, 3);
    const quotes: Quote[] = [];
    for (const x of picked) {
      quotes.push({
        conversationId: x.conversation_id,
        // for a key phrase, the message that says it beats the longest one
        text: (t.kind === 'phrase' ? await q.messageWith(x.conversation_id, t.name) : null) ?? x.quote,
      });
    }
    terms.push({
      kind: t.kind,
      name: t.name,
      recent: t.recent,
      baseline: t.baseline,
      recentShare: recentN ? t.recent / recentN : 0,
      baselineShare: baseN ? t.baseline / baseN : 0,
      z: Math.round(t.z * 100) / 100,
      p: t.p,
      q: qv,
      quotes,
    });
  }
  terms.sort((a, b) => a.q - b.q || b.z - a.z);
  return {
    window: { from: windowFrom, to: f.to, conversations: recentN },
    baseline: { from: baseFrom, to: baseTo, conversations: baseN },
    method: `One-sided two-proportion z-test of each topic's and key phrase's share of conversations in the last ${windowDays} days against the ${baselineDays} days before, for terms in at least ${MIN_COUNT} recent conversations; Benjamini-Hochberg correction at a false discovery rate of ${FDR * 100}%.`,
    minCount: MIN_COUNT,
    fdr: FDR,
    tested: tests.length,
    terms,
  };
}

/**
 * The figures an insight report is written from: key figures now and in the previous period,
 * top topics with quotes, unmet expectations with quotes, emerging topics and follow-ups. The
 * LLM sees exactly this JSON and nothing else; the offline template reads the same.
 */
import type { ReportFigures, ResolvedFilters } from '../../shared/insights.ts';
import { daysBetween } from '../../shared/zoned-time.ts';
import { distinctBy, expectations, followUps, periodSums, previousPeriod, topics, type InsightContext } from './dashboard.ts';
import { emerging } from './emerging.ts';
import { figuresOf } from './figures.ts';

const r1 = (x: number) => Math.round(x * 10) / 10;

export async function reportFigures(ctx: InsightContext, f: ResolvedFilters): Promise<ReportFigures> {
  const prev = previousPeriod(f);
  const q = ctx.store.insights.queries;
  const site = f.siteId ? ((await ctx.store.sites.getById(f.siteId))?.name ?? f.siteId) : 'All sites';
  const windowDays = Math.min(31, Math.max(1, Math.min(7, daysBetween(f.from, f.to) + 1)));
  const [topicRows, fu, em, currentSums, previousSums, unmet] = await Promise.all([
    topics(ctx, f, 6),
    followUps(ctx, f),
    emerging(ctx, { ...f, windowDays, baselineDays: 28 }),
    periodSums(ctx, f),
    periodSums(ctx, prev),
    expectations(ctx, f, 2),
  ]);
  const topicQuotes = await Promise.all(topicRows.map((t) => q.termQuotes({ ...f }, 'topic', t.name, 8, (t.sentiment ?? 0) < 0)));
  const current = figuresOf(currentSums);
  const previous = figuresOf(previousSums);
  const diff = (a: number | null, b: number | null, digits: number) => (a === null || b === null ? null : Math.round((a - b) * 10 ** digits) / 10 ** digits);
  return {
    segment: { site, flow: f.flowId ?? null, source: f.source ?? null, lang: f.lang ?? null, tag: f.tag ?? null },
    period: { from: f.from, to: f.to },
    scales: { nps: '-100 to 100', csat: '% answering 4 or 5 of 5', ces: '1 (hard) to 7 (easy)', sentiment: '-1 to 1' },
    previousPeriod: { from: prev.from, to: prev.to },
    current,
    previous,
    change: {
      responses: current.responses - previous.responses,
      nps: diff(current.nps.score, previous.nps.score, 1),
      csatPercent: diff(current.csat.score, previous.csat.score, 1),
      ces: diff(current.ces.mean, previous.ces.mean, 2),
      sentiment: diff(current.sentiment.mean, previous.sentiment.mean, 2),
    },
    topics: topicRows.map((t, i) => ({
      name: t.name,
      conversations: t.n,
      sharePercent: r1(t.share * 100),
      changePoints: t.changePoints,
      sentiment: t.sentiment === null ? null : Math.round(t.sentiment * 100) / 100,
      // the topic's most unhappy voices: the report lists topics as issues
      quotes: distinctBy(topicQuotes[i] ?? [], (x) => x.quote.toLowerCase())
        .slice(0, 2)
        .map((x) => x.quote),
    })),
    unmetExpectations: unmet
      .slice(0, 5)
      .map((x) => ({ kind: x.kind, unmet: x.unmet, unmetPercent: r1(x.unmetShare * 100), quotes: x.quotes.map((y) => y.text) })),
    emerging: em.terms.slice(0, 5).map((t) => ({
      name: t.name,
      recent: t.recent,
      baseline: t.baseline,
      recentPercent: r1(t.recentShare * 100),
      baselinePercent: r1(t.baselineShare * 100),
    })),
    followUps: {
      opened: fu.opened,
      resolved: fu.resolved,
      overdue: fu.overdue,
      medianResolutionHours: fu.medianResolutionMs === null ? null : r1(fu.medianResolutionMs / 3_600_000),
    },
  };
}

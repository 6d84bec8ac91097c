/**
 * The dashboard: key figures over time, volume, survey funnels, topics, expectations and
 * follow-ups, all under one set of filters and in the site's time zone.
 */
import type {
  CountRow,
  Dashboard,
  DashboardQuery,
  ExpectationRow,
  FollowUpFigures,
  InsightFilters,
  ResolvedFilters,
  SeriesPoint,
  SurveyFunnel,
  TopicRow,
  VolumePoint,
} from '../../shared/insights.ts';
import { addDays, bucketEnd, bucketOf, bucketsBetween, daysBetween, localDay } from '../../shared/zoned-time.ts';
import type { Store } from '../store/index.ts';
import type { FactFilter } from '../store/insights.ts';
import { addSums, emptySums, figuresOf, type Sums } from './figures.ts';
import { median } from './stats.ts';

export const DEFAULT_PERIOD_DAYS = 28;

/** the first item of each key, in order (the same complaint quoted three times says less) */
export function distinctBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export interface InsightContext {
  store: Store;
  now: () => number;
}

/** the filters with a period: today in the site's zone (UTC over all sites) and 28 days back */
export async function resolveFilters(ctx: InsightContext, f: InsightFilters): Promise<ResolvedFilters> {
  const tz = f.siteId ? await ctx.store.insights.facts.timeZoneOf(f.siteId) : 'UTC';
  const to = f.to ?? localDay(ctx.now(), tz);
  let from = f.from ?? addDays(to, -(DEFAULT_PERIOD_DAYS - 1));
  if (from > to) from = to;
  const out: ResolvedFilters = { from, to };
  if (f.siteId !== undefined) out.siteId = f.siteId;
  if (f.flowId !== undefined) out.flowId = f.flowId;
  if (f.source !== undefined) out.source = f.source;
  if (f.lang !== undefined) out.lang = f.lang;
  if (f.tag !== undefined) out.tag = f.tag;
  return out;
}

/** the period of the same length just before */
export function previousPeriod(f: ResolvedFilters): ResolvedFilters {
  const len = daysBetween(f.from, f.to) + 1;
  return { ...f, from: addDays(f.from, -len), to: addDays(f.from, -1) };
}

export function factFilter(f: ResolvedFilters): FactFilter {
  return { siteId: f.siteId, flowId: f.flowId, source: f.source, lang: f.lang, tag: f.tag, from: f.from, to: f.to };
}

/** facts dated in an older time zone get re-dated once per process and zone change */
export function createDayKeeper(store: Store) {
  const current = new Map<string, string>();
  return async (siteId: string | undefined): Promise<void> => {
    const ids = siteId ? [siteId] : (await store.sites.list()).map((s) => s.id);
    for (const id of ids) {
      const tz = await store.insights.facts.timeZoneOf(id);
      if (current.get(id) === tz) continue;
      await store.insights.facts.restampDays(id, tz);
      current.set(id, tz);
    }
  };
}

export async function periodSums(ctx: InsightContext, f: ResolvedFilters): Promise<Sums> {
  const total = emptySums();
  for (const d of await ctx.store.insights.queries.daySums(factFilter(f))) addSums(total, d);
  return total;
}

async function series(ctx: InsightContext, f: ResolvedFilters, granularity: DashboardQuery['granularity']): Promise<{ series: SeriesPoint[]; total: Sums }> {
  const byBucket = new Map<string, Sums>();
  const total = emptySums();
  for (const d of await ctx.store.insights.queries.daySums(factFilter(f))) {
    const b = bucketOf(d.day, granularity);
    addSums(byBucket.get(b) ?? byBucket.set(b, emptySums()).get(b) ?? emptySums(), d);
    addSums(total, d);
  }
  return {
    series: bucketsBetween(f.from, f.to, granularity).map((bucket) => ({
      bucket,
      end: bucketEnd(bucket, granularity),
      ...figuresOf(byBucket.get(bucket) ?? emptySums()),
    })),
    total,
  };
}

async function volume(ctx: InsightContext, f: ResolvedFilters, granularity: DashboardQuery['granularity']): Promise<{ points: VolumePoint[]; bySource: CountRow[] }> {
  const byBucket = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  for (const r of await ctx.store.insights.queries.volume(factFilter(f))) {
    const b = bucketOf(r.day, granularity);
    const m = byBucket.get(b) ?? byBucket.set(b, new Map()).get(b) ?? new Map<string, number>();
    m.set(r.source, (m.get(r.source) ?? 0) + r.n);
    totals.set(r.source, (totals.get(r.source) ?? 0) + r.n);
  }
  const points = bucketsBetween(f.from, f.to, granularity).map((bucket) => ({
    bucket,
    end: bucketEnd(bucket, granularity),
    bySource: Object.fromEntries(byBucket.get(bucket) ?? []),
  }));
  return { points, bySource: [...totals].map(([key, n]) => ({ key, n })).sort((a, b) => b.n - a.n) };
}

export async function topics(ctx: InsightContext, f: ResolvedFilters, limit = 12, kind: 'topic' | 'phrase' = 'topic'): Promise<TopicRow[]> {
  const q = ctx.store.insights.queries;
  const prev = previousPeriod(f);
  const [n, prevN, prevTerms, terms] = await Promise.all([q.count(factFilter(f)), q.count(factFilter(prev)), q.terms(factFilter(prev), kind, 500), q.terms(factFilter(f), kind, limit)]);
  const before = new Map(prevTerms.map((t) => [t.name, t.n]));
  return terms.map((t) => {
    const previousN = before.get(t.name) ?? 0;
    const share = n ? t.n / n : 0;
    const previousShare = prevN ? previousN / prevN : 0;
    return {
      name: t.name,
      n: t.n,
      share,
      sentiment: t.sentiment === null ? null : Math.round(t.sentiment * 1000) / 1000,
      previousN,
      previousShare,
      changePoints: Math.round((share - previousShare) * 1000) / 10,
    };
  });
}

export async function expectations(ctx: InsightContext, f: ResolvedFilters, quotes = 3): Promise<ExpectationRow[]> {
  const q = ctx.store.insights.queries;
  const rows = (await q.expectations(factFilter(f))).filter((r) => r.unmet > 0);
  const quoted = await Promise.all(rows.map((r) => q.unmetQuotes(factFilter(f), r.kind, quotes * 4)));
  return rows.map((r, i) => ({
    kind: r.kind,
    total: r.total,
    unmet: r.unmet,
    unmetShare: r.met + r.unmet ? r.unmet / (r.met + r.unmet) : 0,
    quotes: distinctBy(quoted[i] ?? [], (x) => x.text.toLowerCase())
      .slice(0, quotes)
      .map((x) => ({ conversationId: x.conversation_id, text: x.text })),
  }));
}

export async function followUps(ctx: InsightContext, f: ResolvedFilters): Promise<FollowUpFigures> {
  const q = ctx.store.insights.queries;
  const [counts, times] = await Promise.all([q.followUps(factFilter(f), ctx.now()), q.resolutionTimes(factFilter(f))]);
  return { ...counts, medianResolutionMs: median(times) };
}

async function surveys(ctx: InsightContext, f: ResolvedFilters, max = 3): Promise<SurveyFunnel[]> {
  const q = ctx.store.insights.queries;
  const [byQuestion, runs] = await Promise.all([q.answersByQuestion(factFilter(f)), q.flowRuns(factFilter(f))]);
  const out: SurveyFunnel[] = [];
  for (const run of runs) {
    if (out.length >= max) break;
    const flow = await ctx.store.flows.get(run.site_id, run.flow_id);
    if (!flow || flow.kind !== 'survey') continue;
    const mine = (r: { site_id: string; flow_id: string }) => r.site_id === run.site_id && r.flow_id === run.flow_id;
    const answeredBy = new Map(byQuestion.filter(mine).map((r) => [r.question_id, r.answered]));
    const lastBy = new Map(byQuestion.filter(mine).map((r) => [r.question_id, r.last]));
    const unfinished = run.started - run.completed;
    const withAnswers = [...lastBy.values()].reduce((a, b) => a + b, 0);
    out.push({
      siteId: run.site_id,
      flowId: run.flow_id,
      name: flow.name,
      started: run.started,
      completed: run.completed,
      questions: flow.questions.map((question, i) => {
        const previous = i > 0 ? flow.questions[i - 1] : undefined;
        return {
          id: question.id,
          prompt: question.prompt,
          type: question.type,
          answered: answeredBy.get(question.id) ?? 0,
          // left at the first question: never answered anything
          droppedHere: previous ? (lastBy.get(previous.id) ?? 0) : Math.max(0, unfinished - withAnswers),
        };
      }),
    });
  }
  return out;
}

export async function dashboard(ctx: InsightContext, query: DashboardQuery): Promise<Dashboard> {
  const { granularity, ...filters } = query;
  const f = await resolveFilters(ctx, filters);
  const siteIds = f.siteId ? [f.siteId] : (await ctx.store.sites.list()).map((x) => x.id);
  const [s, v, zoneList, byFlow, surveyList, topicList, expectationList, followUpFigures] = await Promise.all([
    series(ctx, f, granularity),
    volume(ctx, f, granularity),
    Promise.all(siteIds.map((id) => ctx.store.insights.facts.timeZoneOf(id))),
    ctx.store.insights.queries.byFlow(factFilter(f)),
    surveys(ctx, f),
    topics(ctx, f),
    expectations(ctx, f),
    followUps(ctx, f),
  ]);
  const zones = new Set(zoneList);
  return {
    filters: f,
    granularity,
    timeZone: zones.size === 1 ? ([...zones][0] ?? 'UTC') : zones.size === 0 ? 'UTC' : 'mixed',
    totals: figuresOf(s.total),
    series: s.series,
    volume: v.points,
    bySource: v.bySource,
    byFlow: byFlow.map((r) => ({ key: r.flow_id ?? '(none)', n: r.n })),
    surveys: surveyList,
    topics: topicList,
    expectations: expectationList,
    followUps: followUpFigures,
  };
}

/**
 * Insights: the dashboard, emerging topics, segment comparison and the insight report.
 * Query shapes are zod schemas (validated on the server); responses are plain interfaces.
 *
 * Periods are calendar days ('YYYY-MM-DD', both ends included) in each site's time zone
 * (SiteSettings.timeZone), so "Monday" means Monday where the shop is.
 */
import { z } from 'zod';
import { WIDGET_LANGS } from './widget-i18n/langs.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');
const id = z.string().min(1).max(128);

export const InsightLang = z.enum(WIDGET_LANGS);
export type InsightLang = z.infer<typeof InsightLang>;

export const Granularity = z.enum(['day', 'week', 'month']);
export type Granularity = z.infer<typeof Granularity>;

/** The filters every insight query takes (like the transcript list's). */
export const InsightFilters = z.object({
  siteId: id.optional(),
  flowId: id.optional(),
  source: z.string().min(1).max(32).optional(),
  lang: InsightLang.optional(),
  tag: z.string().min(1).max(50).optional(),
  /** first day (default: 27 days before `to`) */
  from: day.optional(),
  /** last day, included (default: today in the site's time zone) */
  to: day.optional(),
});
export type InsightFilters = z.infer<typeof InsightFilters>;

/** GET /api/admin/insights/dashboard */
export const DashboardQuery = InsightFilters.extend({ granularity: Granularity.default('day') });
export type DashboardQuery = z.infer<typeof DashboardQuery>;

/** Filters with the period resolved. */
export interface ResolvedFilters extends Omit<InsightFilters, 'from' | 'to'> {
  from: string;
  to: string;
}

export interface NpsFigure {
  /** % promoters - % detractors, -100..100; null without answers */
  score: number | null;
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
}

export interface MeanFigure {
  mean: number | null;
  n: number;
}

/** CSAT: share of satisfied answers (4-5 of 5, top two boxes on any scale) */
export interface CsatFigure {
  /** percent satisfied, 0..100 */
  score: number | null;
  n: number;
  satisfied: number;
  mean: number | null;
}

export interface SentimentFigure {
  /** mean score -1..1 */
  mean: number | null;
  n: number;
  positive: number;
  negative: number;
}

export interface KeyFigures {
  /** analysed conversations */
  responses: number;
  nps: NpsFigure;
  csat: CsatFigure;
  /** customer effort, 1 (hard) .. 7 (easy) */
  ces: MeanFigure;
  sentiment: SentimentFigure;
}

export interface SeriesPoint extends KeyFigures {
  /** first day of the bucket */
  bucket: string;
  /** first day after the bucket (for links to the transcripts) */
  end: string;
}

export interface CountRow {
  key: string;
  n: number;
}

export interface VolumePoint {
  bucket: string;
  end: string;
  /** counts by source, e.g. { widget: 12, api: 3 } */
  bySource: Record<string, number>;
}

export interface SurveyQuestionStep {
  id: string;
  prompt: string;
  type: string;
  /** conversations that answered it */
  answered: number;
  /** conversations whose last answer was the question before this one and that did not complete */
  droppedHere: number;
}

export interface SurveyFunnel {
  siteId: string;
  flowId: string;
  name: string;
  started: number;
  completed: number;
  questions: SurveyQuestionStep[];
}

export interface TopicRow {
  name: string;
  /** conversations mentioning it */
  n: number;
  /** share of analysed conversations, 0..1 */
  share: number;
  sentiment: number | null;
  previousN: number;
  previousShare: number;
  /** share now - share in the previous period of the same length, in percentage points */
  changePoints: number;
}

export interface ExpectationRow {
  kind: string;
  total: number;
  unmet: number;
  /** unmet / (met + unmet), 0..1 */
  unmetShare: number;
  quotes: Quote[];
}

export interface Quote {
  conversationId: string;
  text: string;
}

export interface FollowUpFigures {
  opened: number;
  resolved: number;
  /** not resolved and older than the urgency's time allowance */
  overdue: number;
  medianResolutionMs: number | null;
}

export interface Dashboard {
  filters: ResolvedFilters;
  granularity: Granularity;
  /** the time zone buckets are in ('mixed' over sites with different zones) */
  timeZone: string;
  totals: KeyFigures;
  series: SeriesPoint[];
  volume: VolumePoint[];
  bySource: CountRow[];
  byFlow: CountRow[];
  surveys: SurveyFunnel[];
  topics: TopicRow[];
  expectations: ExpectationRow[];
  followUps: FollowUpFigures;
}

// ---------------------------------------------------------------------------------------------
// Emerging topics

/** GET /api/admin/insights/emerging */
export const EmergingQuery = InsightFilters.omit({ from: true }).extend({
  /** days in the recent window (ending at `to`) */
  windowDays: z.coerce.number().int().min(1).max(31).default(7),
  /** days in the trailing baseline before the window */
  baselineDays: z.coerce.number().int().min(7).max(180).default(28),
});
export type EmergingQuery = z.infer<typeof EmergingQuery>;

export interface EmergingTerm {
  kind: 'topic' | 'phrase';
  name: string;
  /** conversations with it in the window / in the baseline */
  recent: number;
  baseline: number;
  recentShare: number;
  baselineShare: number;
  z: number;
  /** one-sided p-value of the two-proportion z-test */
  p: number;
  /** Benjamini-Hochberg adjusted p-value (q) */
  q: number;
  quotes: Quote[];
}

export interface EmergingResult {
  window: { from: string; to: string; conversations: number };
  baseline: { from: string; to: string; conversations: number };
  /** what was tested, in words (shown beside the list) */
  method: string;
  minCount: number;
  fdr: number;
  tested: number;
  terms: EmergingTerm[];
}

// ---------------------------------------------------------------------------------------------
// Comparison

const segment = InsightFilters;
/** POST /api/admin/insights/compare */
export const CompareBody = z.object({ a: segment, b: segment, labelA: z.string().max(80).optional(), labelB: z.string().max(80).optional() });
export type CompareBody = z.infer<typeof CompareBody>;

export interface Interval {
  low: number;
  high: number;
}

export interface CompareMetric {
  metric: 'nps' | 'csat' | 'ces' | 'positive' | 'negative' | 'follow_up' | 'unmet';
  label: string;
  /** 'points' for NPS (-100..100) and percentages, 'mean' for CES */
  unit: 'nps' | 'percent' | 'mean';
  a: { value: number | null; n: number; ci: Interval | null };
  b: { value: number | null; n: number; ci: Interval | null };
  /** b - a, with its 95% interval */
  delta: number | null;
  deltaCi: Interval | null;
  /** the interval of the difference excludes 0 */
  significant: boolean;
  method: string;
}

export interface Comparison {
  a: { label: string; filters: ResolvedFilters; responses: number };
  b: { label: string; filters: ResolvedFilters; responses: number };
  metrics: CompareMetric[];
  topics: { name: string; aShare: number; bShare: number; delta: number; deltaCi: Interval; significant: boolean }[];
}

// ---------------------------------------------------------------------------------------------
// Insight report

/** POST /api/admin/insights/reports */
export const ReportBody = InsightFilters;
export type ReportBody = z.infer<typeof ReportBody>;

export interface ReportFigures {
  segment: { site: string; flow: string | null; source: string | null; lang: string | null; tag: string | null };
  period: { from: string; to: string };
  /** how the measures read, so the text may name their scales */
  scales: { nps: string; csat: string; ces: string; sentiment: string };
  previousPeriod: { from: string; to: string };
  current: KeyFigures;
  previous: KeyFigures;
  /** current - previous, rounded as shown */
  change: { responses: number; nps: number | null; csatPercent: number | null; ces: number | null; sentiment: number | null };
  topics: { name: string; conversations: number; sharePercent: number; changePoints: number; sentiment: number | null; quotes: string[] }[];
  unmetExpectations: { kind: string; unmet: number; unmetPercent: number; quotes: string[] }[];
  emerging: { name: string; recent: number; baseline: number; recentPercent: number; baselinePercent: number }[];
  followUps: { opened: number; resolved: number; overdue: number; medianResolutionHours: number | null };
}

export interface InsightReport {
  id: string;
  siteId: string | null;
  filters: ResolvedFilters;
  /** who wrote the text: the LLM, or the offline template */
  writer: 'llm' | 'offline';
  /** why the LLM's text was not used, when it was not */
  fallbackReason: string | null;
  markdown: string;
  figures: ReportFigures;
  createdAt: number;
}

/** PUT /api/admin/insights/schedule: a weekly report by e-mail and/or webhook for one site (neither stops it) */
export const ReportScheduleBody = z.object({
  siteId: id,
  email: z.email().max(320).nullable(),
  /** also e-mail when emerging topics are found (checked daily) */
  emergingAlerts: z.boolean().default(false),
  /** post to the site's webhooks subscribed to insights.report / insights.emerging */
  webhook: z.boolean().default(false),
});
export type ReportScheduleBody = z.infer<typeof ReportScheduleBody>;

export interface ReportSchedule {
  siteId: string;
  email: string | null;
  emergingAlerts: boolean;
  webhook: boolean;
  nextRunAt: number | null;
}

/**
 * Insights: keeps the fact tables current (after each extraction), answers the dashboard,
 * emerging-topic and comparison queries, writes insight reports and runs the weekly report and
 * the daily emerging-topic alert as durable jobs that re-enqueue themselves.
 */
import { z } from 'zod';
import type { Extraction } from '../../shared/extraction.ts';
import { Extraction as ExtractionSchema } from '../../shared/extraction.ts';
import type {
  CompareBody,
  Comparison,
  Dashboard,
  DashboardQuery,
  EmergingQuery,
  EmergingResult,
  InsightFilters,
  InsightReport,
  ReportSchedule,
} from '../../shared/insights.ts';
import { addDays, dayStart, localDay } from '../../shared/zoned-time.ts';
import type { JobHandler } from '../jobs/worker.ts';
import type { LlmClient } from '../llm/types.ts';
import type { Logger } from '../logger.ts';
import type { ResponsePorts } from '../respond/ports.ts';
import type { EmitInput } from '../respond/webhooks.ts';
import { uuidv7 } from '../store/ids.ts';
import type { Store } from '../store/index.ts';
import { compare } from './compare.ts';
import { createDayKeeper, dashboard, resolveFilters, type InsightContext } from './dashboard.ts';
import { emerging } from './emerging.ts';
import { buildFacts } from './facts.ts';
import { reportFigures } from './report-figures.ts';
import { writeReport } from './report-writer.ts';

export const WEEKLY_REPORT_JOB = 'insights_weekly_report';
export const EMERGING_ALERT_JOB = 'insights_emerging_alert';
const ScheduledJob = z.object({ siteId: z.string(), generation: z.number().int() });

export interface InsightsServiceOptions {
  store: Store;
  llm: LlmClient | null;
  log: Logger;
  /** e-mail delivery (the respond part's seam); null: schedules cannot be set */
  ports: ResponsePorts | null;
  /** the respond part's outbound webhooks (insights.report, insights.emerging); null: none */
  webhooks?: { emit(e: EmitInput): number | Promise<number> } | null;
  now?: () => number;
}

/** hour of the site's day the scheduled report goes out */
const SEND_HOUR = 7;

export function createInsightsService(opts: InsightsServiceOptions) {
  const { store, log } = opts;
  const now = opts.now ?? Date.now;
  const ctx: InsightContext = { store, now };
  const keepDays = createDayKeeper(store);

  /** the next SEND_HOUR in the site's zone, `days` days after today's */
  async function nextSendTime(siteId: string, days: number): Promise<number> {
    const tz = await store.insights.facts.timeZoneOf(siteId);
    const today = localDay(now(), tz);
    let t = dayStart(addDays(today, days), tz) + SEND_HOUR * 3_600_000;
    if (t <= now()) t = dayStart(addDays(today, days + 1), tz) + SEND_HOUR * 3_600_000;
    return t;
  }

  async function enqueueRun(kind: string, siteId: string, generation: number, runAt: number): Promise<void> {
    await store.jobs.enqueue(kind, { siteId, generation }, { runAt, dedupeKey: `${kind}:${siteId}:${generation}:${runAt}` });
  }

  async function generateReport(filters: InsightFilters): Promise<InsightReport> {
    // the figures are read and the report is written (maybe by an LLM) outside any transaction
    await keepDays(filters.siteId);
    const f = await resolveFilters(ctx, filters);
    const figures = await reportFigures(ctx, f);
    const written = await writeReport(figures, opts.llm, log);
    const report: InsightReport = {
      id: uuidv7(now()),
      siteId: f.siteId ?? null,
      filters: f,
      writer: written.writer,
      fallbackReason: written.fallbackReason,
      markdown: written.markdown,
      figures,
      createdAt: now(),
    };
    await store.insights.reports.save(report);
    return report;
  }

  const webhooks = opts.webhooks ?? null;
  /** the schedule still wants this run and has somewhere to send it */
  async function current(siteId: string, generation: number) {
    const s = await store.insights.reports.schedule(siteId);
    if (!s || s.generation !== generation) return null;
    const email = s.email && opts.ports ? s.email : null;
    const hook = s.webhook && webhooks !== null;
    return email || hook ? { schedule: s, email, hook } : null;
  }

  const weeklyReport: JobHandler = async (payload) => {
    const { siteId, generation } = ScheduledJob.parse(payload);
    const run = await current(siteId, generation);
    if (!run) return;
    const tz = await store.insights.facts.timeZoneOf(siteId);
    const to = addDays(localDay(now(), tz), -1);
    const report = await generateReport({ siteId, from: addDays(to, -6), to });
    const subject = `Weekly insight report ${report.filters.from} to ${report.filters.to}`;
    // the report is written; queueing its delivery and the next run commit together (the ports
    // only queue: they take part in the transaction)
    await store.tx(async () => {
      if (run.email) await opts.ports?.sendEmail({ siteId, to: run.email, subject, text: report.markdown, idempotencyKey: `insights-report:${siteId}:${to}` });
      if (run.hook) {
        await webhooks?.emit({
          siteId,
          event: 'insights.report',
          conversationId: null,
          eventKey: `insights.report:${siteId}:${to}`,
          data: { reportId: report.id, from: report.filters.from, to: report.filters.to, writer: report.writer, summary: subject, markdown: report.markdown, figures: report.figures },
        });
      }
      const next = await nextSendTime(siteId, 7);
      await store.insights.reports.setNextRun(siteId, generation, next);
      await enqueueRun(WEEKLY_REPORT_JOB, siteId, generation, next);
    });
  };

  const emergingAlert: JobHandler = async (payload) => {
    const { siteId, generation } = ScheduledJob.parse(payload);
    const run = await current(siteId, generation);
    if (!run || !run.schedule.emergingAlerts) return;
    await keepDays(siteId);
    const result = await emerging(ctx, { siteId, windowDays: 7, baselineDays: 28 });
    // the alert's deliveries and the next run are queued in one transaction
    await store.tx(async () => {
      if (result.terms.length > 0) {
        const lines = result.terms.map(
          (t) => `- ${t.name}: ${t.recent} of ${result.window.conversations} recent conversations (${(t.recentShare * 100).toFixed(1)}%) against ${(t.baselineShare * 100).toFixed(1)}% before${t.quotes[0] ? `\n  “${t.quotes[0].text}”` : ''}`,
        );
        const subject = `Emerging topics: ${result.terms.map((t) => t.name).slice(0, 3).join(', ')}`;
        const key = `insights-emerging:${siteId}:${result.window.to}`;
        if (run.email) {
          await opts.ports?.sendEmail({
            siteId,
            to: run.email,
            subject,
            text: [`New topics are rising (${result.window.from} to ${result.window.to}):`, '', ...lines, '', result.method].join('\n'),
            idempotencyKey: key,
          });
        }
        if (run.hook) {
          await webhooks?.emit({
            siteId,
            event: 'insights.emerging',
            conversationId: null,
            eventKey: key,
            data: {
              summary: subject,
              window: result.window,
              baseline: result.baseline,
              method: result.method,
              terms: result.terms.map((t) => ({ kind: t.kind, name: t.name, recent: t.recent, baseline: t.baseline, recentShare: t.recentShare, baselineShare: t.baselineShare, z: t.z, q: t.q, quotes: t.quotes.map((q) => q.text) })),
            },
          });
        }
      }
      await enqueueRun(EMERGING_ALERT_JOB, siteId, generation, await nextSendTime(siteId, 1));
    });
  };

  return {
    /** the afterExtraction step: (re)write the conversation's facts; idempotent per conversation */
    recordExtraction(extraction: Extraction): Promise<void> {
      // read the context and write the facts in one transaction, or as part of the caller's
      const write = async (): Promise<void> => {
        const c = await store.insights.facts.context(extraction.conversationId);
        if (!c) return;
        await store.insights.facts.write(buildFacts(extraction, c), c.timeZone);
      };
      return store.inTx() ? write() : store.tx(write);
    },
    /** history (demo seed, tests): a follow-up resolved at a past moment */
    async markResolvedAt(conversationId: string, at: number): Promise<void> {
      await store.insights.facts.resolveFollowUpAt(conversationId, at);
    },
    /** facts for extractions that have none (older data, CLI re-analysis); returns how many */
    async backfill(batch = 2_000): Promise<number> {
      let done = 0;
      for (;;) {
        const rows = await store.insights.facts.extractionsWithoutFacts(batch);
        if (rows.length === 0) return done;
        await store.tx(async () => {
          for (const r of rows) {
            const parsed = ExtractionSchema.safeParse(JSON.parse(r.data));
            const c = await store.insights.facts.context(r.id);
            // an unreadable record still gets a row so it is not retried forever
            if (parsed.success && c) await store.insights.facts.write(buildFacts(parsed.data, c), c.timeZone);
            else if (c) await store.insights.facts.write(buildFacts(emptyExtraction(r.id), c), c.timeZone);
          }
        });
        done += rows.length;
        if (rows.length < batch) return done;
      }
    },
    async dashboard(query: DashboardQuery): Promise<Dashboard> {
      await keepDays(query.siteId);
      return dashboard(ctx, query);
    },
    async emerging(query: EmergingQuery): Promise<EmergingResult> {
      await keepDays(query.siteId);
      return emerging(ctx, query);
    },
    async compare(body: CompareBody): Promise<Comparison> {
      await keepDays(body.a.siteId);
      await keepDays(body.b.siteId);
      return compare(ctx, body);
    },
    generateReport,
    report(id: string): Promise<InsightReport | null> {
      return store.insights.reports.get(id);
    },
    recentReports(limit = 10): Promise<InsightReport[]> {
      return store.insights.reports.recent(limit);
    },
    canEmail(): boolean {
      return opts.ports !== null;
    },
    canWebhook(): boolean {
      return webhooks !== null;
    },
    async schedule(siteId: string): Promise<ReportSchedule> {
      const s = await store.insights.reports.schedule(siteId);
      return s
        ? { siteId, email: s.email, emergingAlerts: s.emergingAlerts, webhook: s.webhook, nextRunAt: s.nextRunAt }
        : { siteId, email: null, emergingAlerts: false, webhook: false, nextRunAt: null };
    },
    /** replace the site's schedule; the first weekly report goes out at the next 07:00 local time */
    setSchedule(siteId: string, email: string | null, emergingAlerts: boolean, webhook = false): Promise<ReportSchedule> {
      return store.tx(async () => {
        const active = email !== null || webhook;
        const next = active ? await nextSendTime(siteId, 0) : null;
        const s = await store.insights.reports.setSchedule(siteId, email, emergingAlerts, webhook, next, now());
        if (active && next !== null) {
          await enqueueRun(WEEKLY_REPORT_JOB, siteId, s.generation, next);
          if (emergingAlerts) await enqueueRun(EMERGING_ALERT_JOB, siteId, s.generation, next);
        }
        return { siteId, email: s.email, emergingAlerts: s.emergingAlerts, webhook: s.webhook, nextRunAt: s.nextRunAt };
      });
    },
    /** job handlers for the worker */
    handlers: { [WEEKLY_REPORT_JOB]: weeklyReport, [EMERGING_ALERT_JOB]: emergingAlert } as Record<string, JobHandler>,
  };
}
export type InsightsService = ReturnType<typeof createInsightsService>;

function emptyExtraction(conversationId: string): Extraction {
  return {
    conversationId,
    extractor: 'offline',
    extractorVersion: 'unreadable',
    fellBack: false,
    ratings: [],
    npsCategory: null,
    sentiment: { label: 'neutral', score: 0, messages: [] },
    topics: [],
    keyPhrases: [],
    summary: '',
    expectations: [],
    followUp: { needed: false, reason: null, urgency: null, contact: { email: null, phone: null } },
    createdAt: 0,
  };
}

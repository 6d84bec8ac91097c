/** Generated insight reports and the weekly report schedule per site. */
import type { Asyncify } from './async.ts';
import type { InsightReport, ReportFigures, ReportSchedule, ResolvedFilters } from '../../shared/insights.ts';
import type { Db } from './db.ts';

interface ReportRow {
  id: string;
  site_id: string | null;
  filters: string;
  writer: 'llm' | 'offline';
  fallback_reason: string | null;
  markdown: string;
  figures: string;
  created_at: number;
}

interface ScheduleRow {
  site_id: string;
  email: string | null;
  emerging_alerts: number;
  webhook: number;
  generation: number;
  next_run_at: number | null;
}

const toReport = (r: ReportRow): InsightReport => ({
  id: r.id,
  siteId: r.site_id,
  filters: JSON.parse(r.filters) as ResolvedFilters,
  writer: r.writer,
  fallbackReason: r.fallback_reason,
  markdown: r.markdown,
  figures: JSON.parse(r.figures) as ReportFigures,
  createdAt: r.created_at,
});

export interface StoredSchedule extends ReportSchedule {
  generation: number;
}

export function insightReportsStore(db: Db) {
  const insert = db.prepare(
    `INSERT INTO insight_reports (id, site_id, filters, writer, fallback_reason, markdown, figures, created_at)
     VALUES (@id, @siteId, @filters, @writer, @fallbackReason, @markdown, @figures, @createdAt)`,
  );
  const byId = db.prepare<[string], ReportRow>('SELECT * FROM insight_reports WHERE id = ?');
  const recent = db.prepare<[number], ReportRow>('SELECT * FROM insight_reports ORDER BY created_at DESC LIMIT ?');
  const schedule = db.prepare<[string], ScheduleRow>('SELECT * FROM insight_schedules WHERE site_id = ?');
  const upsertSchedule = db.prepare(
    `INSERT INTO insight_schedules (site_id, email, emerging_alerts, webhook, generation, next_run_at, updated_at)
     VALUES (@siteId, @email, @alerts, @webhook, 1, @nextRunAt, @now)
     ON CONFLICT (site_id) DO UPDATE SET email = excluded.email, emerging_alerts = excluded.emerging_alerts, webhook = excluded.webhook,
       generation = insight_schedules.generation + 1, next_run_at = excluded.next_run_at, updated_at = excluded.updated_at`,
  );
  const setNext = db.prepare('UPDATE insight_schedules SET next_run_at = ? WHERE site_id = ? AND generation = ?');
  const toSchedule = (r: ScheduleRow): StoredSchedule => ({
    siteId: r.site_id,
    email: r.email,
    emergingAlerts: r.emerging_alerts === 1,
    webhook: r.webhook === 1,
    generation: r.generation,
    nextRunAt: r.next_run_at,
  });

  return {
    save(report: InsightReport): void {
      insert.run({
        id: report.id,
        siteId: report.siteId,
        filters: JSON.stringify(report.filters),
        writer: report.writer,
        fallbackReason: report.fallbackReason,
        markdown: report.markdown,
        figures: JSON.stringify(report.figures),
        createdAt: report.createdAt,
      });
    },
    get(id: string): InsightReport | null {
      const r = byId.get(id);
      return r ? toReport(r) : null;
    },
    recent(limit: number): InsightReport[] {
      return recent.all(limit).map(toReport);
    },
    schedule(siteId: string): StoredSchedule | null {
      const r = schedule.get(siteId);
      return r ? toSchedule(r) : null;
    },
    /** replace the site's schedule; returns it with its new generation */
    setSchedule(siteId: string, email: string | null, emergingAlerts: boolean, webhook: boolean, nextRunAt: number | null, now: number): StoredSchedule {
      upsertSchedule.run({ siteId, email, alerts: emergingAlerts ? 1 : 0, webhook: webhook ? 1 : 0, nextRunAt, now });
      const r = schedule.get(siteId);
      if (!r) throw new Error('schedule vanished');
      return toSchedule(r);
    },
    setNextRun(siteId: string, generation: number, nextRunAt: number): void {
      setNext.run(nextRunAt, siteId, generation);
    },
  };
}
export type InsightReportsStore = Asyncify<ReturnType<typeof insightReportsStore>>;

/** Generated insight reports and the weekly report schedule per site. */
import type { InsightReport, ReportFigures, ReportSchedule, ResolvedFilters } from '../../shared/insights.ts';
import type { Sql } from './sql.ts';

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

export function insightReportsStore(sql: Sql) {
  const scheduleRow = (siteId: string) => sql.get<ScheduleRow>('SELECT * FROM insight_schedules WHERE site_id = ?', [siteId]);
  const toSchedule = (r: ScheduleRow): StoredSchedule => ({
    siteId: r.site_id,
    email: r.email,
    emergingAlerts: r.emerging_alerts === 1,
    webhook: r.webhook === 1,
    generation: r.generation,
    nextRunAt: r.next_run_at,
  });

  return {
    async save(report: InsightReport): Promise<void> {
      await sql.run(
        `INSERT INTO insight_reports (id, site_id, filters, writer, fallback_reason, markdown, figures, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          report.id,
          report.siteId,
          JSON.stringify(report.filters),
          report.writer,
          report.fallbackReason,
          report.markdown,
          JSON.stringify(report.figures),
          report.createdAt,
        ],
      );
    },
    async get(id: string): Promise<InsightReport | null> {
      const r = await sql.get<ReportRow>('SELECT * FROM insight_reports WHERE id = ?', [id]);
      return r ? toReport(r) : null;
    },
    async recent(limit: number): Promise<InsightReport[]> {
      return (await sql.all<ReportRow>('SELECT * FROM insight_reports ORDER BY created_at DESC LIMIT ?', [limit])).map(toReport);
    },
    async schedule(siteId: string): Promise<StoredSchedule | null> {
      const r = await scheduleRow(siteId);
      return r ? toSchedule(r) : null;
    },
    /** replace the site's schedule; returns it with its new generation */
    async setSchedule(
      siteId: string,
      email: string | null,
      emergingAlerts: boolean,
      webhook: boolean,
      nextRunAt: number | null,
      now: number,
    ): Promise<StoredSchedule> {
      const r = await sql.get<ScheduleRow>(
        `INSERT INTO insight_schedules (site_id, email, emerging_alerts, webhook, generation, next_run_at, updated_at)
         VALUES (?, ?, ?, ?, 1, ?, ?)
         ON CONFLICT (site_id) DO UPDATE SET email = excluded.email, emerging_alerts = excluded.emerging_alerts, webhook = excluded.webhook,
           generation = insight_schedules.generation + 1, next_run_at = excluded.next_run_at, updated_at = excluded.updated_at
         RETURNING *`,
        [siteId, email, emergingAlerts ? 1 : 0, webhook ? 1 : 0, nextRunAt, now],
      );
      if (!r) throw new Error('schedule vanished');
      return toSchedule(r);
    },
    async setNextRun(siteId: string, generation: number, nextRunAt: number): Promise<void> {
      await sql.run('UPDATE insight_schedules SET next_run_at = ? WHERE site_id = ? AND generation = ?', [nextRunAt, siteId, generation]);
    },
  };
}
export type InsightReportsStore = ReturnType<typeof insightReportsStore>;

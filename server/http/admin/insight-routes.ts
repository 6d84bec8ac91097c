import { CompareBody, DashboardQuery, EmergingQuery, ReportBody, ReportScheduleBody } from '../../../shared/insights.ts';
import { AppError } from '../../../shared/errors.ts';
import { reportHtml } from '../../insights/report-html.ts';
import type { AdminServices } from './compose.ts';
import { param, parse } from './parse.ts';
import type { AnyRoute } from './route.ts';

/** Insights: dashboard, emerging topics, comparison, reports and their weekly schedule. */
export function insightRoutes(svc: AdminServices): AnyRoute[] {
  const ins = svc.insights;
  const report = async (id: string) => {
    const r = await ins.report(id);
    if (!r) throw new AppError('not_found', 'No such report.');
    return r;
  };
  return [
    { method: 'get', path: '/insights/dashboard', access: 'signed-in', handle: async (req) => ({ dashboard: await ins.dashboard(parse(DashboardQuery, req.query)) }) },
    { method: 'get', path: '/insights/emerging', access: 'signed-in', handle: async (req) => ({ emerging: await ins.emerging(parse(EmergingQuery, req.query)) }) },
    { method: 'post', path: '/insights/compare', access: 'signed-in', handle: async (req) => ({ comparison: await ins.compare(parse(CompareBody, req.body)) }) },
    {
      method: 'post',
      path: '/insights/reports',
      access: 'signed-in',
      handle: async (req) => ({ report: await ins.generateReport(parse(ReportBody, req.body)) }),
    },
    { method: 'get', path: '/insights/reports', access: 'signed-in', handle: async () => ({ reports: await ins.recentReports(10) }) },
    { method: 'get', path: '/insights/reports/:id', access: 'signed-in', handle: async (req) => ({ report: await report(param(req.params.id, 'id')) }) },
    {
      method: 'get',
      path: '/insights/reports/:id/markdown',
      access: 'signed-in',
      async handle(req, res) {
        const r = await report(param(req.params.id, 'id'));
        res.setHeader('Content-Type', 'text/markdown; charset=utf-8');
        res.setHeader('Content-Disposition', `attachment; filename="parley-insights-${r.filters.from}-${r.filters.to}.md"`);
        res.send(r.markdown);
        return undefined;
      },
    },
    {
      method: 'get',
      path: '/insights/reports/:id/print',
      access: 'signed-in',
      async handle(req, res) {
        const r = await report(param(req.params.id, 'id'));
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        // a printable page of escaped text: no script runs in it
        res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'");
        res.send(reportHtml(r));
        return undefined;
      },
    },
    {
      method: 'get',
      path: '/insights/schedule/:siteId',
      access: 'signed-in',
      handle: async (req) => ({ schedule: await ins.schedule(param(req.params.siteId, 'siteId')), emailAvailable: ins.canEmail(), webhookAvailable: ins.canWebhook() }),
    },
    {
      method: 'put',
      path: '/insights/schedule',
      access: 'owner',
      async handle(req) {
        const body = parse(ReportScheduleBody, req.body);
        if (!(await svc.store.sites.getById(body.siteId))) throw new AppError('not_found', 'No such site.');
        if (body.email && !ins.canEmail()) throw new AppError('invalid_payload', 'E-mail delivery is not configured on this server.');
        if (body.webhook && !ins.canWebhook()) throw new AppError('invalid_payload', 'Webhooks are not available on this server.');
        return { schedule: await ins.setSchedule(body.siteId, body.email, body.emergingAlerts, body.webhook) };
      },
    },
  ];
}

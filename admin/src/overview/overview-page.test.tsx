import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { Comparison, Dashboard, EmergingResult, InsightReport, KeyFigures, SeriesPoint } from '../../../shared/insights.ts';
import { parseRoute } from '../shell/route.ts';
import { fakeApi, fakeLive } from '../test-support/fake-server.ts';
import { site } from '../test-support/fixtures.ts';
import { renderWithApp } from '../test-support/render-app.tsx';
import { OverviewPage } from './overview-page.tsx';

afterEach(cleanup);

const figures = (over: Partial<KeyFigures> = {}): KeyFigures => ({
  responses: 12,
  nps: { score: 25, n: 8, promoters: 4, passives: 2, detractors: 2 },
  csat: { score: 75, n: 4, satisfied: 3, mean: 4 },
  ces: { mean: 5.5, n: 2 },
  sentiment: { mean: 0.12, n: 12, positive: 6, negative: 3 },
  ...over,
});
const point = (bucket: string, end: string, over: Partial<KeyFigures> = {}): SeriesPoint => ({ bucket, end, ...figures(over) });

const dashboard: Dashboard = {
  filters: { siteId: 's1', from: '2026-03-28', to: '2026-03-30' },
  granularity: 'day',
  timeZone: 'Europe/Berlin',
  totals: figures({ responses: 40 }),
  series: [point('2026-03-28', '2026-03-29'), point('2026-03-29', '2026-03-30', { nps: { score: -50, n: 2, promoters: 0, passives: 1, detractors: 1 } }), point('2026-03-30', '2026-03-31')],
  volume: [
    { bucket: '2026-03-28', end: '2026-03-29', bySource: { widget: 10, api: 2 } },
    { bucket: '2026-03-29', end: '2026-03-30', bySource: { widget: 8 } },
    { bucket: '2026-03-30', end: '2026-03-31', bySource: { widget: 20 } },
  ],
  bySource: [
    { key: 'widget', n: 38 },
    { key: 'api', n: 2 },
  ],
  byFlow: [{ key: 'nps', n: 40 }],
  surveys: [
    {
      siteId: 's1',
      flowId: 'nps',
      name: 'Customer NPS',
      started: 40,
      completed: 30,
      questions: [
        { id: 'nps', prompt: 'How likely are you to recommend us?', type: 'nps', answered: 36, droppedHere: 4 },
        { id: 'why', prompt: 'What should we fix first?', type: 'text', answered: 30, droppedHere: 6 },
      ],
    },
  ],
  topics: [{ name: 'Delivery', n: 12, share: 0.3, sentiment: -0.4, previousN: 4, previousShare: 0.1, changePoints: 20 }],
  expectations: [{ kind: 'delivery', total: 10, unmet: 7, unmetShare: 0.7, quotes: [{ conversationId: 'c9', text: '<b>parcel</b> in 2 days, they said' }] }],
  followUps: { opened: 9, resolved: 5, overdue: 2, medianResolutionMs: 5 * 3_600_000 },
};

const emerging: EmergingResult = {
  window: { from: '2026-03-24', to: '2026-03-30', conversations: 100 },
  baseline: { from: '2026-02-24', to: '2026-03-23', conversations: 400 },
  method: 'One-sided two-proportion z-test …; Benjamini-Hochberg correction at a false discovery rate of 5%.',
  minCount: 5,
  fdr: 0.05,
  tested: 14,
  terms: [{ kind: 'phrase', name: 'charged twice', recent: 12, baseline: 2, recentShare: 0.12, baselineShare: 0.005, z: 6.1, p: 1e-9, q: 1e-8, quotes: [{ conversationId: 'c7', text: 'I was charged twice' }] }],
};

const comparison: Comparison = {
  a: { label: 'Previous period', filters: { from: '2026-03-25', to: '2026-03-27' }, responses: 30 },
  b: { label: 'This period', filters: { from: '2026-03-28', to: '2026-03-30' }, responses: 40 },
  metrics: [
    { metric: 'nps', label: 'NPS', unit: 'nps', a: { value: 10, n: 20, ci: { low: -20, high: 40 } }, b: { value: 25, n: 8, ci: { low: -30, high: 80 } }, delta: 15, deltaCi: { low: -45, high: 75 }, significant: false, method: 'normal approximation' },
    { metric: 'csat', label: 'CSAT (satisfied)', unit: 'percent', a: { value: 40, n: 50, ci: { low: 27.6, high: 53.8 } }, b: { value: 80, n: 50, ci: { low: 67, high: 88.8 } }, delta: 40, deltaCi: { low: 21.2, high: 55.1 }, significant: true, method: 'Wilson; Newcombe' },
  ],
  topics: [],
};

const report: InsightReport = {
  id: 'r1',
  siteId: 's1',
  filters: dashboard.filters,
  writer: 'offline',
  fallbackReason: "The LLM's text cited numbers that are not in the figures (87.5), so the offline report is shown instead.",
  markdown: '# Insight report: Acme\n\n## Key figures\n\n| Measure | This period |\n| --- | --- |\n| NPS | 25.0 (8) |\n\n## Top issues\n\n> “<img src=x onerror=alert(1)> late again”\n\n## Recommendations\n\n- **Delivery**: send tracking updates.',
  figures: {} as InsightReport['figures'],
  createdAt: 1,
};

function setup() {
  const server = fakeApi({
    'GET /sites': { body: { ok: true, sites: [{ ...site, settings: { ...site.settings, timeZone: 'Europe/Berlin' } }] } },
    'GET /sites/s1/flows': { body: { ok: true, flows: [{ id: 'nps', kind: 'survey', name: 'NPS' }] } },
    'GET /insights/dashboard': { body: { ok: true, dashboard } },
    'GET /insights/emerging': { body: { ok: true, emerging } },
    'POST /insights/compare': { body: { ok: true, comparison } },
    'POST /insights/reports': { body: { ok: true, report } },
    'GET /insights/schedule/s1': { body: { ok: true, schedule: { siteId: 's1', email: null, emergingAlerts: false, webhook: false, nextRunAt: null }, emailAvailable: false, webhookAvailable: true } },
  });
  renderWithApp(<OverviewPage />, server.api, fakeLive().live);
  const calls = (path: string) => server.requests.filter((r) => r.path === path);
  return { server, calls };
}

describe('overview', () => {
  it('shows the key figures, the measures as tables with CSV downloads, topics, expectations and follow-ups', async () => {
    setup();
    const kpis = await screen.findByRole('list', { name: 'Key figures' });
    expect(within(kpis).getByText('40')).toBeTruthy();
    expect(within(kpis).getByText('25')).toBeTruthy();
    const nps = screen.getByRole('region', { name: /NPS over time/ });
    const table = within(nps).getByRole('table');
    expect(within(table).getAllByRole('row')).toHaveLength(4);
    expect(within(table).getByText('-50')).toBeTruthy();
    const csv = within(nps).getByRole('link', { name: /Download CSV/ }).getAttribute('href') ?? '';
    expect(decodeURIComponent(csv)).toContain('2026-03-29,-50,2');
    const topics = screen.getByRole('region', { name: 'Top topics' });
    expect(within(topics).getByText('30.0%')).toBeTruthy();
    expect(within(topics).getByText(/\+\s*20\.0/)).toBeTruthy();
    // customer text is text
    const quote = screen.getByText('“<b>parcel</b> in 2 days, they said”');
    expect(quote.querySelector('b')).toBeNull();
    const follow = screen.getByRole('region', { name: 'Follow-ups' });
    expect(within(follow).getAllByText('5.0 h').length).toBeGreaterThan(0);
    const survey = screen.getByRole('region', { name: 'Survey completion and drop-off' });
    expect(survey.textContent).toContain('30 of 40 completed (75%)');
    expect(survey.textContent).toContain('30 answered · 6 left here');
  });

  it('links a bucket, a topic and a follow-up figure to the matching transcripts', async () => {
    setup();
    const nps = await screen.findByRole('region', { name: /NPS over time/ });
    const open = within(nps).getAllByRole('link', { name: 'Open' })[1]!.getAttribute('href')!;
    const route = parseRoute(open);
    expect(route.name).toBe('conversations');
    // 29 March 2026 in Berlin: midnight CET to midnight CEST, a 23-hour day
    expect(route.name === 'conversations' && route.filters).toEqual({ siteId: 's1', from: Date.UTC(2026, 2, 28, 23), to: Date.UTC(2026, 2, 29, 22) - 1 });
    const topic = within(screen.getByRole('region', { name: 'Top topics' })).getByRole('link', { name: 'Delivery' }).getAttribute('href')!;
    expect(parseRoute(topic)).toMatchObject({ name: 'conversations', filters: { siteId: 's1', topic: 'Delivery' } });
    const overdue = within(screen.getByRole('region', { name: 'Follow-ups' })).getByRole('link', { name: '2' }).getAttribute('href')!;
    expect(parseRoute(overdue)).toMatchObject({ filters: { followUpStatus: 'open' } });
    const emergingLink = within(screen.getByRole('region', { name: 'Emerging topics' })).getByRole('link', { name: 'charged twice' }).getAttribute('href')!;
    expect(parseRoute(emergingLink)).toMatchObject({ filters: { q: 'charged twice' } });
  });

  it('sends the filters to the dashboard query', async () => {
    const { calls } = setup();
    await screen.findByRole('list', { name: 'Key figures' });
    fireEvent.change(screen.getByLabelText('Source'), { target: { value: 'api' } });
    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'de' } });
    fireEvent.change(screen.getByLabelText('Group by'), { target: { value: 'week' } });
    await waitFor(() => expect(calls('/insights/dashboard').at(-1)?.query.get('granularity')).toBe('week'));
    const q = calls('/insights/dashboard').at(-1)!.query;
    expect(q.get('source')).toBe('api');
    expect(q.get('lang')).toBe('de');
    expect(q.get('from')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('compares two periods and marks what is not significant', async () => {
    setup();
    const region = await screen.findByRole('region', { name: 'Compare two segments' });
    fireEvent.click(within(region).getByRole('button', { name: 'Compare' }));
    const table = await within(region).findByRole('table');
    const npsRow = within(table).getByText('NPS').closest('tr') as HTMLElement;
    expect(within(npsRow).getByText('not significant')).toBeTruthy();
    const csatRow = within(table).getByText('CSAT (satisfied)').closest('tr') as HTMLElement;
    expect(within(csatRow).getByText('significant')).toBeTruthy();
    expect(within(csatRow).getByText('21.2% to 55.1%')).toBeTruthy();
  });

  it('generates a report, says why the LLM text was not used, and offers Markdown and a printable page', async () => {
    const { calls } = setup();
    const region = await screen.findByRole('region', { name: 'Insight report' });
    fireEvent.click(within(region).getByRole('button', { name: 'Generate report' }));
    const article = await within(region).findByRole('article', { name: 'Generated report' });
    expect(calls('/insights/reports')[0]?.body).toMatchObject({ siteId: 's1', from: '2026-03-28', to: '2026-03-30' });
    expect(within(article).getByRole('heading', { name: 'Recommendations' })).toBeTruthy();
    expect(within(article).getByText(/cited numbers that are not in the figures/)).toBeTruthy();
    expect(within(article).getByRole('link', { name: 'Download Markdown' }).getAttribute('href')).toBe('/api/admin/insights/reports/r1/markdown');
    expect(within(article).getByRole('link', { name: 'Printable page' }).getAttribute('href')).toBe('/api/admin/insights/reports/r1/print');
    expect(article.querySelector('img')).toBeNull();
    expect(within(article).getByText('Delivery').tagName).toBe('STRONG');
    // no e-mail delivery on this server: the schedule says so
    expect(await within(region).findByText(/E-mail delivery is not configured/)).toBeTruthy();
  });
});

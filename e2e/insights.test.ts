/**
 * The overview in a real Chromium on the seeded demo: charts and their tables render, a click on
 * a chart point or a topic bar opens the matching transcripts, a comparison and a report can be
 * made. Saves screenshots to e2e-artifacts/.
 */
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTrackedPage, screenshot } from './helpers/browser.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './helpers/parley-server.ts';
import { ARTIFACTS_DIR } from './helpers/paths.ts';
import { startStack, type Stack } from './helpers/stack.ts';
import { WAIT_MS } from './helpers/widget.ts';

let stack: Stack;
let admin: Page;
let errors: string[];

beforeAll(async () => {
  stack = await startStack();
  const tracked = await openTrackedPage(stack.browser, { viewport: { width: 1400, height: 1000 } });
  admin = tracked.page;
  errors = tracked.errors;
});
afterAll(async () => {
  await stack?.close();
});

const idsOnPage = async () =>
  (await admin.locator('a[href^="#/conversations/"]').evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''))).map((h) => decodeURIComponent(h.replace('#/conversations/', '')));

async function expectClean(page: Page, name: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const blocking = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${v.help} at ${JSON.stringify(n.target)}`));
  expect(blocking, `axe on ${name}`).toEqual([]);
}

async function openOverview() {
  await admin.goto(`${stack.parley.url}/admin/#/overview`);
  await admin.locator('.time-chart canvas').first().waitFor({ timeout: WAIT_MS });
}

describe('insights overview', () => {
  it('is the first screen after sign-in and shows the seeded history in charts and tables', async () => {
    await admin.goto(`${stack.parley.url}/admin/`);
    await admin.getByLabel('Email').fill(ADMIN_EMAIL);
    await admin.getByLabel('Password').fill(ADMIN_PASSWORD);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByRole('heading', { name: 'Overview' }).waitFor({ timeout: WAIT_MS });
    await admin.locator('.time-chart canvas').first().waitFor({ timeout: WAIT_MS });

    const seeded = stack.query<{ n: number }>('SELECT count(*) AS n FROM insight_facts')[0]!.n;
    expect(seeded).toBeGreaterThan(300);
    const kpis = admin.getByRole('list', { name: 'Key figures' });
    expect(Number(await kpis.locator('.kpi-value').first().textContent())).toBeGreaterThan(100);
    // four measures over time and the volume: each drawn by uPlot
    await expect.poll(() => admin.locator('.time-chart canvas').count(), { timeout: WAIT_MS }).toBe(5);
    // a chart's numbers as a table: open the NPS one
    const npsCard = admin.getByRole('region', { name: /NPS over time/ });
    await npsCard.locator('summary').click();
    const npsRows = npsCard.locator('.data-table').getByRole('table').locator('tbody tr');
    expect(await npsRows.count()).toBe(28);
    expect(await npsCard.getByRole('link', { name: /Download CSV/ }).getAttribute('href')).toMatch(/^data:text\/csv/);
    // topics, expectations with quotes, follow-ups, surveys
    const topics = admin.getByRole('region', { name: 'Top topics' });
    expect(await topics.locator('tbody tr').count()).toBeGreaterThan(5);
    expect(await admin.getByRole('region', { name: 'Expectations most often unmet' }).locator('.quotes li').count()).toBeGreaterThan(0);
    expect(await admin.getByRole('region', { name: 'Survey completion and drop-off' }).locator('.funnel li').count()).toBeGreaterThan(3);
    // the week's new problem
    await admin.getByRole('region', { name: 'Emerging topics' }).getByRole('link', { name: 'charged twice' }).waitFor({ timeout: WAIT_MS });

    await expectClean(admin, 'overview');
    await screenshot(admin, 'insights-overview');
    await admin.screenshot({ path: join(ARTIFACTS_DIR, 'insights-overview-full.png'), fullPage: true });
  });

  it('a click on a topic bar opens the transcripts of that topic and period', async () => {
    await openOverview();
    const topics = admin.getByRole('region', { name: 'Top topics' });
    const first = topics.locator('tbody tr a').first();
    const topic = (await first.textContent()) ?? '';
    await first.click();
    await admin.getByRole('heading', { name: 'Conversations' }).waitFor({ timeout: WAIT_MS });
    expect(decodeURIComponent(new URL(admin.url()).hash)).toContain(`topic=${topic}`);
    // the list's topic choices load with the sites
    await expect.poll(() => admin.getByLabel('Topic').inputValue(), { timeout: WAIT_MS }).toBe(topic);
    await admin.locator('a[href^="#/conversations/"]').first().waitFor({ timeout: WAIT_MS });
    const ids = await idsOnPage();
    const withTopic = new Set(stack.query<{ id: string }>(`SELECT conversation_id AS id FROM insight_terms WHERE kind = 'topic' AND name = ?`, topic).map((r) => r.id));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => withTopic.has(id))).toBe(true);
  });

  it('a click on a point of the NPS chart opens that day’s transcripts', async () => {
    await openOverview();
    const npsCard = admin.getByRole('region', { name: /NPS over time/ });
    const over = npsCard.locator('.u-over');
    const box = (await over.boundingBox())!;
    // the last of 28 daily buckets: yesterday or today, both seeded
    const i = 26;
    await admin.mouse.move(box.x + (box.width * (i + 0.5)) / 28, box.y + box.height / 2);
    await admin.mouse.click(box.x + (box.width * (i + 0.5)) / 28, box.y + box.height / 2);
    await admin.getByRole('heading', { name: 'Conversations' }).waitFor({ timeout: WAIT_MS });
    const params = new URLSearchParams(new URL(admin.url()).hash.split('?')[1]);
    const from = Number(params.get('from'));
    const to = Number(params.get('to'));
    // one local day in Europe/Berlin (the demo site's zone): 23 to 25 hours
    expect(to - from + 1).toBeGreaterThanOrEqual(23 * 3_600_000);
    expect(to - from + 1).toBeLessThanOrEqual(25 * 3_600_000);
    await admin.locator('a[href^="#/conversations/"]').first().waitFor({ timeout: WAIT_MS });
    const ids = await idsOnPage();
    const thatDay = stack.query<{ id: string }>('SELECT id FROM conversations WHERE started_at BETWEEN ? AND ?', from, to).map((r) => r.id);
    expect(ids.sort()).toEqual(thatDay.sort());
    await screenshot(admin, 'insights-click-to-transcripts');
  });

  it('compares this period with the previous one and writes a report', async () => {
    await openOverview();
    const compare = admin.getByRole('region', { name: 'Compare two segments' });
    await compare.getByRole('button', { name: 'Compare' }).click();
    const table = compare.getByRole('table').first();
    await table.waitFor({ timeout: WAIT_MS });
    expect(await table.locator('tbody tr').count()).toBe(7);
    expect(await table.getByText(/significant/).count()).toBeGreaterThan(0);

    const report = admin.getByRole('region', { name: 'Insight report' });
    await report.getByRole('button', { name: 'Generate report' }).click();
    const article = report.getByRole('article', { name: 'Generated report' });
    await article.getByRole('heading', { name: 'Recommendations' }).waitFor({ timeout: WAIT_MS });
    expect(await article.getByRole('link', { name: 'Download Markdown' }).getAttribute('href')).toMatch(/\/api\/admin\/insights\/reports\/.+\/markdown$/);
    await expectClean(admin, 'overview with a comparison and a report');
    await report.scrollIntoViewIfNeeded();
    await screenshot(admin, 'insights-report');
    // the signed-out start answers 401 on purpose
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});

/**
 * Ingest in a real Chromium against the real server: upload a messy CSV export, map its columns
 * over the preview, watch the background import finish with its failed rows listed; add an RSS
 * feed served by the test on 127.0.0.1 and poll it; then find both kinds of item in the
 * conversation list with their source, hostile text shown as text.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSignedIn } from './helpers/admin-page.ts';
import { openTrackedPage, screenshot } from './helpers/browser.ts';
import { startStack, type Stack } from './helpers/stack.ts';
import { WAIT_MS } from './helpers/widget.ts';

const XSS = '<img src=x onerror=alert(1)>';
const CSV = [
  '\uFEFFid;Datum;Bewertung;Kunde;Kommentar',
  `k-1;2026-10-04;1;Henrik;"Paket kam beschädigt an ${XSS}`,
  'zweite Zeile der Beschwerde"',
  'k-2;2026-10-05;5;Aylin;Super schneller Versand, gerne wieder',
  'k-3;2026-10-06;4;extra;field;here',
  'k-4;2026-10-07;3;Marc;',
  '',
].join('\n');

const RSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>Forum</title><link>https://forum.example</link><description>d</description>
<item><title>Acme scanner stopped syncing</title><guid>post-8812</guid><link>https://forum.example/p/8812</link>
<description><![CDATA[<p>My <b>Acme</b> scanner stopped syncing after firmware 2.4 &amp; support is slow.</p>]]></description></item>
<item><title>Unrelated</title><guid>post-8813</guid><description>Nothing about the brand.</description></item>
</channel></rss>`;

let stack: Stack;
let admin: Page;
let errors: string[];
let dialogs = 0;
let feedServer: Server;
let feedUrl: string;

beforeAll(async () => {
  feedServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"e1"' }).end(RSS));
  await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
  feedUrl = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/forum.rss`;
  // no demo history: the imported rows (dated in the past) must be on the list's first page
  stack = await startStack({ env: { PARLEY_FEEDS_ALLOW_PRIVATE: 'true', PARLEY_DEMO_HISTORY: 'false' } });
  const tracked = await openTrackedPage(stack.browser, { viewport: { width: 1400, height: 900 } });
  admin = tracked.page;
  errors = tracked.errors;
  admin.on('dialog', (d) => {
    dialogs++;
    // the only dialogs this test expects are none: a confirm would mean an XSS alert
    void d.dismiss();
  });
});
afterAll(async () => {
  await stack?.close();
  await new Promise<void>((resolve) => (feedServer ? feedServer.close(() => resolve()) : resolve()));
});

const openIngest = async () => {
  await ensureSignedIn(admin, stack.parley.url);
  await admin.goto(`${stack.parley.url}/admin/#/ingest`);
  await admin.getByRole('heading', { name: 'Ingest' }).waitFor({ timeout: WAIT_MS });
};

describe('ingest in the admin page', () => {
  it('imports a CSV export after mapping its columns and lists the rows that failed with their lines', async () => {
    await openIngest();
    await admin.getByLabel('CSV or JSON file').setInputFiles({ name: 'bewertungen.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    const step = admin.getByRole('region', { name: 'Map columns' });
    await step.waitFor({ timeout: WAIT_MS });
    await expect(step.getByText(/semicolon-separated/).isVisible()).resolves.toBe(true);
    await step.getByLabel('Text (required)').selectOption('Kommentar');
    await step.getByLabel('Author', { exact: true }).selectOption('Kunde');
    await step.getByLabel('Rating', { exact: true }).selectOption('Bewertung');
    await step.getByLabel('Date', { exact: true }).selectOption('Datum');
    await step.getByLabel('Source label').fill('shop-export');
    const preview = step.getByRole('table', { name: 'Preview of the first rows' });
    await expect(preview.getByText(XSS, { exact: false }).count()).resolves.toBe(1);
    await screenshot(admin, 'ingest-mapping');
    await step.getByRole('button', { name: 'Start import' }).click();

    const report = admin.getByRole('region', { name: 'Import of bewertungen.csv' });
    const failed = report.getByRole('table', { name: 'Rows that failed' });
    await failed.waitFor({ timeout: 60_000 });
    await report.getByText(/done/).waitFor({ timeout: 60_000 });
    const rows = await failed.getByRole('row').allTextContents();
    expect(rows.slice(1)).toEqual([expect.stringMatching(/^5wrong number of fields/), expect.stringMatching(/^6text: text is empty/)]);
    expect(await report.textContent()).toMatch(/2\s*imported/);
    await screenshot(admin, 'ingest-import-report');
  });

  it('adds an RSS feed, polls it and shows its health', async () => {
    await openIngest();
    await admin.getByRole('tab', { name: 'Feeds' }).click();
    const form = admin.getByRole('form', { name: 'Add a feed' });
    await form.getByLabel('Name').fill('Acme forum');
    await form.getByLabel('Feed URL (RSS or Atom)').fill(feedUrl);
    await form.getByLabel(/Keywords/).fill('acme');
    await form.getByRole('button', { name: 'Add feed' }).click();
    const table = admin.getByRole('table', { name: 'Feeds' });
    const row = table.getByRole('row').filter({ hasText: 'Acme forum' });
    await row.waitFor({ timeout: WAIT_MS });
    await row.getByRole('button', { name: 'Poll Acme forum now' }).click();
    await row.getByText('OK', { exact: true }).waitFor({ timeout: WAIT_MS });
    await screenshot(admin, 'ingest-feeds');
    expect(await row.textContent()).toMatch(/Mentions any of: acme/);
  });

  it('lists imported and feed items with their source, hostile text as text', async () => {
    await ensureSignedIn(admin, stack.parley.url);
    await admin.goto(`${stack.parley.url}/admin/#/conversations`);
    const henrik = admin.getByRole('row').filter({ hasText: 'Henrik' });
    await henrik.waitFor({ timeout: WAIT_MS });
    expect(await henrik.textContent()).toContain(`Paket kam beschädigt an ${XSS}`);
    expect(await henrik.textContent()).toContain('import');
    await expect(admin.locator('img[src="x"]').count()).resolves.toBe(0);
    const feedRow = admin.getByRole('row').filter({ hasText: 'scanner stopped syncing' });
    await feedRow.waitFor({ timeout: WAIT_MS });
    expect(await feedRow.textContent()).toContain('feed');
    await expect(admin.getByRole('row').filter({ hasText: 'Nothing about the brand' }).count()).resolves.toBe(0);
    await screenshot(admin, 'ingest-in-list');
    expect(dialogs).toBe(0);
    // the page asks for a session before signing in: that 401 is expected
    expect(errors.filter((e) => !/status of 401 .*\/api\/admin\/(session|login)\)/.test(e))).toEqual([]);
  });
});

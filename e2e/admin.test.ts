/**
 * The admin page in a real Chromium against the real server: sign in, review the transcript and
 * analysis of a survey a visitor just finished in the widget, filter, see hostile visitor text
 * as text, take over a live chat and hand it back, export CSV. Saves a screenshot of each screen.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTrackedPage, screenshot } from './helpers/browser.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './helpers/parley-server.ts';
import { ensureSignedIn as signIn } from './helpers/admin-page.ts';
import { startStack, type Stack, type Visit } from './helpers/stack.ts';
import { WAIT_MS } from './helpers/widget.ts';

const XSS = '<img src=x onerror=alert(1)>';
const COMPLAINT = `The parcel arrived two weeks late and nobody answered my emails ${XSS}`;
/** extraction is a background job: give it time on a busy machine */
const ANALYSIS_WAIT_MS = 60_000;

let stack: Stack;
let admin: Page;
let adminErrors: string[];
let dialogs = 0;

beforeAll(async () => {
  stack = await startStack();
  const tracked = await openTrackedPage(stack.browser, { viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  admin = tracked.page;
  adminErrors = tracked.errors;
  admin.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  // two finished surveys for every test below to review: a detractor's and a promoter's
  await completeDetractorSurvey();
  await completePromoterSurvey();
});
afterAll(async () => {
  await stack?.close();
});

const conversationWith = (text: string): string => {
  const row = stack.query<{ id: string }>(`SELECT conversation_id AS id FROM messages WHERE text = ? ORDER BY id DESC LIMIT 1`, text)[0];
  if (!row) throw new Error(`no conversation holds the message "${text}"`);
  return row.id;
};

const ensureSignedIn = (): Promise<void> => signIn(admin, stack.parley.url);

const openConversation = async (id: string) => {
  await ensureSignedIn();
  await admin.goto(`${stack.parley.url}/admin/#/conversations/${id}`);
  await admin.getByRole('list', { name: 'Transcript' }).waitFor({ timeout: WAIT_MS });
};

/** a detractor's NPS survey, start to end, with the complaint as the free-text answer */
async function completeDetractorSurvey(): Promise<Visit> {
  const visit = await stack.visit();
  const { widget } = visit;
  await widget.open();
  await widget.botSays('How likely are you to recommend').waitFor({ timeout: WAIT_MS });
  await widget.quickReply('3').click();
  await widget.botSays('What should we fix first').waitFor({ timeout: WAIT_MS });
  await widget.send(COMPLAINT);
  await widget.botSays('How satisfied were you with the delivery').waitFor({ timeout: WAIT_MS });
  await widget.quickReply('1').click();
  await widget.dialog.getByText('This conversation has ended.').waitFor({ timeout: WAIT_MS });
  return visit;
}

async function completePromoterSurvey(): Promise<void> {
  const { widget } = await stack.visit();
  await widget.open();
  await widget.botSays('How likely are you to recommend').waitFor({ timeout: WAIT_MS });
  await widget.quickReply('10').click();
  await widget.botSays('What do you like most').waitFor({ timeout: WAIT_MS });
  await widget.send('Fast delivery and friendly people, I love it');
  await widget.botSays('How satisfied were you with the delivery').waitFor({ timeout: WAIT_MS });
  await widget.quickReply('5').click();
  await widget.dialog.getByText('This conversation has ended.').waitFor({ timeout: WAIT_MS });
}

describe('admin page', () => {
  it('refuses a wrong password and signs in with the right one', async () => {
    await admin.goto(`${stack.parley.url}/admin/`);
    await admin.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: WAIT_MS });
    await screenshot(admin, 'admin-login');
    await admin.getByLabel('Email').fill(ADMIN_EMAIL);
    await admin.getByLabel('Password').fill('not the password');
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => admin.getByRole('alert').textContent()).toBe('That email and password do not match an account.');

    await admin.getByLabel('Password').fill(ADMIN_PASSWORD);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    // the first screen is the overview
    await admin.getByRole('heading', { name: 'Overview' }).waitFor({ timeout: WAIT_MS });
  });

  it('shows the transcript of a survey just completed in the widget, with its extraction', async () => {
    const id = conversationWith(COMPLAINT);
    await ensureSignedIn();
    await admin.locator(`a[href="#/conversations/${id}"]`).click();
    const transcript = admin.getByRole('list', { name: 'Transcript' });
    await transcript.getByText(COMPLAINT, { exact: true }).waitFor({ timeout: WAIT_MS });
    expect(await transcript.locator('.bubble').allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringContaining('How likely are you to recommend'), '3', COMPLAINT, expect.stringMatching(/^1/)]),
    );

    const analysis = admin.getByRole('region', { name: 'Analysis' });
    await analysis.getByText('Detractor', { exact: true }).waitFor({ timeout: ANALYSIS_WAIT_MS });
    await expect.poll(() => analysis.locator('.rating').first().textContent()).toContain('3');
    expect(await analysis.getByText(/Negative|Neutral|Positive/).first().isVisible()).toBe(true);
    await screenshot(admin, 'admin-transcript');
  });

  it('shows visitor text holding HTML as text, and runs none of it', async () => {
    const id = conversationWith(COMPLAINT);
    await openConversation(id);
    const bubble = admin.getByRole('list', { name: 'Transcript' }).getByText(COMPLAINT, { exact: true });
    await bubble.waitFor({ timeout: WAIT_MS });
    expect(await admin.locator('main img').count()).toBe(0);
    expect(await admin.evaluate(() => document.querySelectorAll('img[src="x"]').length)).toBe(0);
    expect(dialogs).toBe(0);
  });

  it('filters the list to detractors', async () => {
    await ensureSignedIn();
    const detractor = conversationWith(COMPLAINT);
    const promoter = conversationWith('Fast delivery and friendly people, I love it');
    await admin.goto(`${stack.parley.url}/admin/#/conversations`);
    await admin.reload();
    // the promoter's analysis has to exist before the filter can tell them apart
    await expect
      .poll(() => stack.query<{ n: number }>(`SELECT count(*) AS n FROM extractions WHERE conversation_id IN (?, ?)`, detractor, promoter)[0]?.n, {
        timeout: ANALYSIS_WAIT_MS,
      })
      .toBe(2);
    await admin.reload();
    await admin.locator(`a[href="#/conversations/${promoter}"]`).waitFor({ timeout: WAIT_MS });
    await admin.locator(`a[href="#/conversations/${detractor}"]`).waitFor({ timeout: WAIT_MS });

    await admin.getByLabel('NPS category').selectOption('detractor');
    await admin.locator(`a[href="#/conversations/${promoter}"]`).waitFor({ state: 'detached', timeout: WAIT_MS });
    expect(await admin.locator(`a[href="#/conversations/${detractor}"]`).isVisible()).toBe(true);
    await screenshot(admin, 'admin-list-detractors');
  });

  it('exports the filtered list as CSV', async () => {
    const detractor = conversationWith(COMPLAINT);
    const promoter = conversationWith('Fast delivery and friendly people, I love it');
    await ensureSignedIn(); // a fresh page starts with no filters
    // full-text search needs no analysis: only the complaint matches
    await admin.getByRole('searchbox', { name: 'Search transcripts' }).fill('parcel arrived');
    await admin.getByRole('searchbox', { name: 'Search transcripts' }).press('Enter');
    await admin.locator(`a[href="#/conversations/${promoter}"]`).waitFor({ state: 'detached', timeout: WAIT_MS });
    await admin.locator(`a[href="#/conversations/${detractor}"]`).waitFor({ timeout: WAIT_MS });

    const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByRole('link', { name: 'CSV' }).click()]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\n')[0]).toContain('id');
    expect(csv).toContain(detractor);
    expect(csv).not.toContain(promoter);
  });

  it('lists a chat that starts while the list is open, without a reload', async () => {
    await ensureSignedIn();
    await admin.getByRole('table').waitFor({ timeout: WAIT_MS });
    // the first page has loaded: anything new from here on arrives over the live feed
    await admin.getByText('Loading…').waitFor({ state: 'detached', timeout: WAIT_MS });
    const { widget } = await stack.visit({ data: { flow: 'support' } });
    await widget.open();
    await widget.send('Do you ship to Norway?');
    await expect.poll(() => stack.query<{ n: number }>(`SELECT count(*) AS n FROM messages WHERE text = 'Do you ship to Norway?'`)[0]?.n, { timeout: WAIT_MS }).toBe(1);
    const id = conversationWith('Do you ship to Norway?');
    const row = admin.locator(`a[href="#/conversations/${id}"]`);
    await row.waitFor({ timeout: WAIT_MS });
    expect(await row.locator('xpath=ancestor::tr').getByText('Live').isVisible()).toBe(true);
  });

  it('takes over a live chat: the visitor sees the agent; after hand back the bot answers again', async () => {
    const { widget } = await stack.visit({ data: { flow: 'support' } });
    await widget.open();
    await widget.log.locator('.pl-msg.pl-bot').first().waitFor({ timeout: WAIT_MS });
    await widget.send('Where is my order? It should have arrived by now');
    await expect.poll(() => widget.log.locator('.pl-msg.pl-bot').count(), { timeout: WAIT_MS }).toBeGreaterThan(1);

    const id = conversationWith('Where is my order? It should have arrived by now');
    await ensureSignedIn();
    await openConversation(id);
    await admin.getByRole('button', { name: 'Take over' }).click();
    const composer = admin.getByRole('textbox', { name: 'Message to the visitor' });
    await composer.waitFor({ timeout: WAIT_MS });
    await composer.fill('Hi, this is a real person from support. Let me look that up.');
    await admin.getByRole('button', { name: 'Send', exact: true }).click();

    await widget.log.getByText('Hi, this is a real person from support. Let me look that up.').waitFor({ timeout: WAIT_MS });
    await admin.getByRole('list', { name: 'Transcript' }).getByText('Hi, this is a real person from support. Let me look that up.').waitFor({ timeout: WAIT_MS });
    await screenshot(admin, 'admin-live-taken-over');

    await admin.getByRole('button', { name: 'Hand back to bot' }).click();
    await admin.getByRole('button', { name: 'Take over' }).waitFor({ timeout: WAIT_MS });
    const botLines = await widget.log.locator('.pl-msg.pl-bot').count();
    await widget.send('How long do refunds take?');
    await expect.poll(() => widget.log.locator('.pl-msg.pl-bot').count(), { timeout: WAIT_MS }).toBeGreaterThan(botLines);
    // the open transcript shows the visitor's new message as it arrives, without a reload
    await admin.getByRole('list', { name: 'Transcript' }).getByText('How long do refunds take?').waitFor({ timeout: WAIT_MS });
  });

  it('shows sites, a site with its snippet, flows, jobs, the team and the audit log', async () => {
    await ensureSignedIn();
    await admin.goto(`${stack.parley.url}/admin/#/sites`);
    await admin.getByRole('heading', { name: 'Sites' }).waitFor({ timeout: WAIT_MS });
    await admin.locator('.site-card').first().waitFor({ timeout: WAIT_MS });
    await screenshot(admin, 'admin-sites');

    await admin.locator('.site-card').first().click();
    const snippet = admin.getByLabel('Embed snippet');
    await snippet.waitFor({ timeout: WAIT_MS });
    expect(await snippet.textContent()).toContain('/widget.js');
    await screenshot(admin, 'admin-site');

    await admin.goto(`${stack.parley.url}/admin/#/flows`);
    await admin.getByRole('navigation', { name: 'Flows' }).getByRole('link').first().click();
    const editor = admin.getByRole('textbox', { name: 'Flow JSON' });
    await editor.waitFor({ timeout: WAIT_MS });
    await admin.getByRole('status').filter({ hasText: 'Valid' }).waitFor({ timeout: WAIT_MS });
    await admin.waitForTimeout(1500); // let the preview iframe draw the widget for the screenshot
    await screenshot(admin, 'admin-flows');

    await admin.goto(`${stack.parley.url}/admin/#/jobs`);
    await admin.getByRole('heading', { name: 'Jobs' }).waitFor({ timeout: WAIT_MS });
    await screenshot(admin, 'admin-jobs');

    await admin.goto(`${stack.parley.url}/admin/#/team`);
    await admin.getByRole('table').getByText(ADMIN_EMAIL).waitFor({ timeout: WAIT_MS });
    await screenshot(admin, 'admin-team');

    await admin.goto(`${stack.parley.url}/admin/#/audit`);
    await admin.getByRole('heading', { name: 'Audit log' }).waitFor({ timeout: WAIT_MS });
    await screenshot(admin, 'admin-audit');
    // the browser logs the 401s of the signed-out start and of the wrong password on purpose
    expect(adminErrors.filter((e) => !/status of 401 .*\/api\/admin\/(session|login)\)/.test(e))).toEqual([]);
  });
});

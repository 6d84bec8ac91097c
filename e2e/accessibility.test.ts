/**
 * axe-core (WCAG 2.0/2.1 A and AA rules) in a real Chromium on every screen a visitor or an admin
 * meets: the closed widget, the open widget with a question and quick replies, the widget on a
 * phone, and the admin login, list, transcript, sites and flow editor. Serious and critical
 * violations fail the test; moderate and minor ones are printed so someone can look at them.
 * axe runs through @axe-core/playwright, which includes open shadow roots (the widget's) and
 * iframes (the flow editor's preview).
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Result } from 'axe-core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, openTrackedPage } from './helpers/browser.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './helpers/parley-server.ts';
import { ensureSignedIn as signIn } from './helpers/admin-page.ts';
import { startStack, type Stack } from './helpers/stack.ts';
import { startTcpProxy } from './helpers/tcp-proxy.ts';
import { WAIT_MS } from './helpers/widget.ts';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const BLOCKING = new Set(['serious', 'critical']);
/**
 * The host page is a test fixture standing in for a customer's site: its own markup is not ours to
 * fix, so only the widget's element is scanned on it.
 */
const WIDGET_ONLY = 'parley-widget';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  if (process.env.A11Y_DEBUG) console.log(stack?.parley.output());
  await stack?.close();
});

/** one line per failing node, so a failure says what to fix and where */
function describeViolations(results: Result[]): string {
  return results
    .flatMap((v) =>
      v.nodes.map((n) => `[${v.impact ?? 'unknown'}] ${v.id}: ${v.help}\n    at ${JSON.stringify(n.target)}\n    ${n.failureSummary?.replace(/\n/g, ' | ') ?? ''}`),
    )
    .join('\n');
}

interface Scan {
  /** serious and critical violations, one line per node; '' when there are none */
  blocking: string;
  /** how many nodes inside the widget's shadow root axe checked and passed */
  shadowNodesPassed: number;
}

/** run axe on the page; prints moderate/minor violations, returns the serious/critical ones */
async function scan(page: Page, name: string, include?: string): Promise<Scan> {
  let builder = new AxeBuilder({ page }).withTags(WCAG_TAGS);
  if (include) builder = builder.include(include);
  const { violations, passes, incomplete } = await builder.analyze();
  const minor = violations.filter((v) => !BLOCKING.has(v.impact ?? ''));
  if (minor.length > 0) console.log(`[axe] ${name}: non-blocking violations\n${describeViolations(minor)}`);
  // what axe could not decide (e.g. text over a gradient) is not checked at all: say so
  const undecided = incomplete.flatMap((r) => r.nodes.map((n) => `${r.id} at ${JSON.stringify(n.target)}: ${n.any[0]?.message ?? ''}`));
  if (undecided.length > 0) console.log(`[axe] ${name}: needs a human look\n  ${undecided.join('\n  ')}`);
  // a node inside a shadow root is targeted by a path: [host selector, selector within the root]
  const shadowNodesPassed = passes.flatMap((p) => p.nodes).filter((n) => Array.isArray(n.target[0])).length;
  return { blocking: describeViolations(violations.filter((v) => BLOCKING.has(v.impact ?? ''))), shadowNodesPassed };
}

/** every screen is scanned even after one fails, so one run lists everything there is to fix */
async function expectClean(page: Page, name: string, include?: string): Promise<Scan> {
  const result = await scan(page, name, include);
  expect.soft(result.blocking, `axe on ${name}`).toBe('');
  return result;
}

/** the widget's own controls were part of the scan, not just the host element around them */
async function expectWidgetClean(page: Page, name: string): Promise<void> {
  const result = await expectClean(page, name, WIDGET_ONLY);
  expect.soft(result.shadowNodesPassed, `axe looked inside the widget's shadow root on ${name}`).toBeGreaterThan(0);
}

describe('widget accessibility (axe, WCAG 2.1 A/AA)', () => {
  it('has no serious violations with the widget closed', async () => {
    const { page, widget } = await stack.visit();
    await widget.launcher.waitFor({ timeout: WAIT_MS });
    await expectWidgetClean(page, 'widget closed');
  });

  it('has no serious violations with a question and quick replies showing', async () => {
    const { page, widget } = await stack.visit();
    await widget.open();
    await widget.waitForBot('How likely are you to recommend');
    await widget.quickReply('10').waitFor({ timeout: WAIT_MS });
    await expectWidgetClean(page, 'widget open (NPS scale)');

    // the CSAT scale and the free-text step draw different controls
    await widget.quickReply('9').click();
    await widget.waitForBot('What do you like most');
    await expectWidgetClean(page, 'widget open (free text)');
    await widget.quickReply('Skip').click();
    await widget.waitForBot('How satisfied were you with the delivery');
    await expectWidgetClean(page, 'widget open (CSAT scale)');
    await widget.quickReply(/^4$/).click();
    await widget.dialog.getByText('This conversation has ended.').waitFor({ timeout: WAIT_MS });
    await expectWidgetClean(page, 'widget ended');
  });

  it('has no serious violations on a phone', async () => {
    const { page, widget } = await stack.visit({}, PHONE);
    await widget.launcher.waitFor({ timeout: WAIT_MS });
    await expectWidgetClean(page, 'phone closed');
    await widget.open();
    await widget.waitForBot('How likely are you to recommend');
    await widget.quickReply('10').waitFor({ timeout: WAIT_MS });
    await expectWidgetClean(page, 'phone open');
  });
});

describe('widget accessibility in other situations', () => {
  it('has no serious violations in German on an English page, and says which language it speaks', async () => {
    const { page } = await stack.visit({ data: { lang: 'de' } });
    const launcher = page.getByRole('button', { name: 'Chat öffnen' });
    await launcher.waitFor({ timeout: WAIT_MS });
    expect(await page.evaluate(() => document.querySelector('parley-widget')?.getAttribute('lang'))).toBe('de');
    await launcher.click();
    await page.getByRole('textbox', { name: 'Nachricht' }).waitFor({ timeout: WAIT_MS });
    expect(await page.getByRole('dialog').getAttribute('lang')).toBe('de');
    await expectWidgetClean(page, 'widget in German');
  });

  it('has no serious violations while it tells the visitor the connection is lost', async () => {
    const proxy = await startTcpProxy(stack.parley.port);
    try {
      const { page, widget } = await stack.visit({ parleyUrl: `http://localhost:${proxy.port}` });
      await widget.open();
      await widget.waitForBot('How likely are you to recommend');
      await proxy.cut();
      await widget.alert.getByText(/Reconnecting/).waitFor({ timeout: WAIT_MS });
      await expectWidgetClean(page, 'widget reconnecting');
    } finally {
      await proxy.stop();
    }
  });
});

describe('widget accessibility in a brand colour the customer chose', () => {
  // a pale brand colour: white text on it would be unreadable, so the widget must pick dark text
  for (const color of ['#fde047', '#1e3a8a']) {
    it(`has no serious violations with the colour ${color}`, async () => {
      const { page, widget } = await stack.visit({ data: { color } });
      await widget.open();
      await widget.waitForBot('How likely are you to recommend');
      await widget.quickReply('7').click();
      await widget.waitForBot('What would make it a 10');
      await widget.send('More sizes please');
      await widget.bubble('More sizes please').waitFor({ timeout: WAIT_MS });
      await expectWidgetClean(page, `widget in ${color}`);
    });
  }
});

describe('admin accessibility (axe, WCAG 2.1 A/AA)', () => {
  let admin: Page;
  beforeAll(async () => {
    admin = (await openTrackedPage(stack.browser, { viewport: { width: 1400, height: 900 } })).page;
    // a finished survey, so the list and a transcript have something to show
    const { widget } = await stack.visit();
    await widget.open();
    await widget.waitForBot('How likely are you to recommend');
    await widget.quickReply('3').click();
    await widget.waitForBot('What should we fix first');
    await widget.send('The parcel came late');
    await widget.waitForBot('How satisfied were you with the delivery');
    await widget.quickReply('2').click();
    await widget.dialog.getByText('This conversation has ended.').waitFor({ timeout: WAIT_MS });
  });

  const ensureSignedIn = (): Promise<void> => signIn(admin, stack.parley.url);

  it('has no serious violations on the login screen', async () => {
    await admin.goto(`${stack.parley.url}/admin/`);
    await admin.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: WAIT_MS });
    await expectClean(admin, 'admin login');
    // an error message shown after a wrong password is part of the screen too
    await admin.getByLabel('Email').fill(ADMIN_EMAIL);
    await admin.getByLabel('Password').fill('not the password');
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByRole('alert').filter({ hasText: /do not match/ }).waitFor({ timeout: WAIT_MS });
    await expectClean(admin, 'admin login error');
  });

  it('has no serious violations on the conversation list and a transcript', async () => {
    await ensureSignedIn();
    const first = admin.locator('a[href^="#/conversations/"]').first();
    await first.waitFor({ timeout: WAIT_MS });
    await expectClean(admin, 'admin conversation list');

    await first.click();
    const transcript = admin.getByRole('list', { name: 'Transcript' });
    await transcript.getByText('The parcel came late').waitFor({ timeout: WAIT_MS });
    await expectClean(admin, 'admin transcript');
  });

  it('has no serious violations on the sites page, a site and the flow editor', async () => {
    await ensureSignedIn();
    await admin.goto(`${stack.parley.url}/admin/#/sites`);
    await admin.getByRole('heading', { name: 'Sites' }).waitFor({ timeout: WAIT_MS });
    await admin.locator('.site-card').first().waitFor({ timeout: WAIT_MS });
    await expectClean(admin, 'admin sites');

    await admin.locator('.site-card').first().click();
    await admin.getByLabel('Embed snippet').waitFor({ timeout: WAIT_MS });
    await expectClean(admin, 'admin site');

    await admin.goto(`${stack.parley.url}/admin/#/flows`);
    await admin.getByRole('navigation', { name: 'Flows' }).getByRole('link').first().click();
    await admin.getByRole('textbox', { name: 'Flow JSON' }).waitFor({ timeout: WAIT_MS });
    await admin.getByRole('status').filter({ hasText: 'Valid' }).waitFor({ timeout: WAIT_MS });
    await expectClean(admin, 'admin flow editor');
  });

  it('has no serious violations on the jobs, team and audit pages', async () => {
    await ensureSignedIn();
    await admin.goto(`${stack.parley.url}/admin/#/jobs`);
    await admin.getByRole('heading', { name: 'Jobs' }).waitFor({ timeout: WAIT_MS });
    await expectClean(admin, 'admin jobs');
    await admin.goto(`${stack.parley.url}/admin/#/team`);
    await admin.getByText(ADMIN_EMAIL).first().waitFor({ timeout: WAIT_MS });
    await expectClean(admin, 'admin team');
    await admin.goto(`${stack.parley.url}/admin/#/audit`);
    await admin.getByRole('heading', { name: 'Audit log' }).waitFor({ timeout: WAIT_MS });
    await expectClean(admin, 'admin audit log');
  });

  it('has no serious violations while an agent has taken over a live chat', async () => {
    const { page: visitor, widget } = await stack.visit({ data: { flow: 'support' } });
    await widget.open();
    await widget.log.locator('.pl-msg.pl-bot').first().waitFor({ timeout: WAIT_MS });
    await widget.send('Can a person help me with a return?');
    await expect
      .poll(() => stack.query<{ id: string }>(`SELECT conversation_id AS id FROM messages WHERE text = 'Can a person help me with a return?'`)[0]?.id, { timeout: WAIT_MS })
      .toBeTruthy();
    const id = stack.query<{ id: string }>(`SELECT conversation_id AS id FROM messages WHERE text = 'Can a person help me with a return?'`)[0]!.id;
    await ensureSignedIn();
    await admin.goto(`${stack.parley.url}/admin/#/conversations/${id}`);
    await admin.getByRole('button', { name: 'Take over' }).click();
    await admin.getByRole('textbox', { name: 'Message to the visitor' }).fill('Hello, I can help with that.');
    await admin.getByRole('button', { name: 'Send', exact: true }).click();
    await widget.log.getByText('Hello, I can help with that.').waitFor({ timeout: WAIT_MS });
    await expectClean(admin, 'admin live take-over');
    // the visitor's side of it: an agent's message in the widget
    await expectWidgetClean(visitor, 'widget with an agent');
  });

  it('has no serious violations on the conversation list on a phone', async () => {
    const phone = (await openTrackedPage(stack.browser, PHONE)).page;
    await phone.goto(`${stack.parley.url}/admin/#/conversations`);
    await phone.getByLabel('Email').fill(ADMIN_EMAIL);
    await phone.getByLabel('Password').fill(ADMIN_PASSWORD);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await phone.getByRole('heading', { name: 'Conversations' }).waitFor({ timeout: WAIT_MS });
    await phone.locator('a[href^="#/conversations/"]').first().waitFor({ timeout: WAIT_MS });
    await expectClean(phone, 'admin list on a phone');
  });
});

describe('admin first-run setup accessibility (axe, WCAG 2.1 A/AA)', () => {
  let fresh: Stack;
  beforeAll(async () => {
    // empty means unset: this server starts with no account, so /admin offers to create the owner
    fresh = await startStack({ env: { PARLEY_ADMIN_EMAIL: '', PARLEY_ADMIN_PASSWORD: '' } });
  });
  afterAll(async () => {
    await fresh?.close();
  });

  it('has no serious violations on the create-the-owner screen, with and without an error', async () => {
    const page = (await openTrackedPage(fresh.browser, { viewport: { width: 1400, height: 900 } })).page;
    await page.goto(`${fresh.parley.url}/admin/`);
    await page.getByRole('heading', { name: 'Create the owner account' }).waitFor({ timeout: WAIT_MS });
    await expectClean(page, 'admin setup');
    await page.getByLabel('Email').fill('owner@shop.test');
    await page.getByLabel('Name').fill('Owen Owner');
    await page.getByLabel('Password', { exact: true }).fill('first-run-passphrase');
    await page.getByLabel('Confirm password').fill('not the same passphrase');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').filter({ hasText: 'do not match' }).waitFor({ timeout: WAIT_MS });
    await expectClean(page, 'admin setup error');
  });
});

/**
 * Respond in a real Chromium: a detractor finishes the demo survey -> the demo rules fire -> a
 * signed webhook reaches a receiver on 127.0.0.1 -> the follow-up shows in the inbox with the
 * sidebar count -> the transcript's Rules section says why; the rules editor shows errors at the
 * field; axe finds no serious violations on the new screens.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTrackedPage } from './helpers/browser.ts';
import { ensureSignedIn } from './helpers/admin-page.ts';
import { startStack, type Stack } from './helpers/stack.ts';
import { WAIT_MS } from './helpers/widget.ts';

let stack: Stack;
let receiver: Server;
let receiverUrl = '';
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
let admin: Page;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/parley`;
  // no demo history: the sidebar count below is the one follow-up this test opens
  stack = await startStack({ env: { PARLEY_WEBHOOKS_ALLOW_PRIVATE: 'true', PARLEY_DEMO_HISTORY: 'false' } });
  admin = (await openTrackedPage(stack.browser, { viewport: { width: 1400, height: 900 } })).page;
});

afterAll(async () => {
  await stack?.close();
  receiver?.closeAllConnections();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
});

async function expectClean(page: Page, name: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const blocking = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${v.help} at ${JSON.stringify(n.target)}`));
  expect(blocking, `axe on ${name}`).toEqual([]);
}

describe('respond in the browser', () => {
  it('a detractor answer fires the demo rules: webhook, inbox, sidebar count and the Rules section', async () => {
    await ensureSignedIn(admin, stack.parley.url);
    // an owner adds a webhook endpoint: the secret is shown once
    await admin.goto(`${stack.parley.url}/admin/#/webhooks`);
    await admin.getByLabel('Name').fill('Support desk');
    await admin.getByLabel('URL').fill(receiverUrl);
    await admin.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = (await admin.locator('[role="status"] code').first().innerText({ timeout: WAIT_MS })).trim();
    expect(secret).toMatch(/^whsec_/);
    await expectClean(admin, 'webhooks page');

    const { widget } = await stack.visit();
    await widget.open();
    await widget.waitForBot('How likely are you to recommend');
    await widget.quickReply('2').click();
    await widget.waitForBot('What should we fix first');
    await widget.send('The parcel was promised for Monday and still has not arrived. Please call me back, I am really disappointed.');
    await widget.waitForBot('How satisfied were you with the delivery');
    await widget.quickReply('1').click();
    await widget.dialog.getByText('This conversation has ended.').waitFor({ timeout: WAIT_MS });

    await expect.poll(() => received.map((r) => (JSON.parse(r.body) as { event: string }).event), { timeout: WAIT_MS }).toContain('rule.fired');
    for (const r of received) {
      const ts = String(r.headers['parley-timestamp']);
      expect(r.headers['parley-signature']).toBe(`v1=${createHmac('sha256', secret).update(`${ts}.${r.body}`).digest('hex')}`);
    }

    await admin.goto(`${stack.parley.url}/admin/#/inbox`);
    await admin.getByRole('heading', { name: 'Follow-ups' }).waitFor({ timeout: WAIT_MS });
    const row = admin.locator('table.inbox tbody tr').first();
    await row.waitFor({ timeout: WAIT_MS });
    await expect.poll(() => admin.getByRole('navigation', { name: 'Main' }).innerText(), { timeout: WAIT_MS }).toMatch(/1 open/);
    await expectClean(admin, 'follow-ups inbox');

    await row.getByRole('link').click();
    const rules = admin.getByRole('region', { name: 'Rules' });
    await rules.getByText(/Why: NPS category is detractor/).first().waitFor({ timeout: WAIT_MS });
    await expectClean(admin, 'transcript with the Rules section');
  });

  it('the rules editor shows errors at the field, and the teams page is clean', async () => {
    await ensureSignedIn(admin, stack.parley.url);
    await admin.goto(`${stack.parley.url}/admin/#/rules`);
    await admin.getByText('Promoter: thank and tag').waitFor({ timeout: WAIT_MS });
    await admin.getByRole('button', { name: 'New rule' }).click();
    await admin.getByRole('button', { name: 'Save rule' }).click();
    const name = admin.getByLabel('Name', { exact: true });
    await expect.poll(() => name.getAttribute('aria-invalid'), { timeout: WAIT_MS }).toBe('true');
    await expect.poll(async () => admin.locator(`#${await name.getAttribute('aria-describedby')}`).innerText()).toBe('required');
    await expectClean(admin, 'rules editor with errors');

    await admin.goto(`${stack.parley.url}/admin/#/teams`);
    await admin.getByRole('heading', { name: 'Teams' }).waitFor({ timeout: WAIT_MS });
    await expectClean(admin, 'teams page');
  });
});

/**
 * First run in a real Chromium: a server started without PARLEY_ADMIN_EMAIL/PASSWORD has no
 * account, so /admin offers "Create the owner account"; creating it lands in the conversation
 * list, signed in. After that, setup is closed for everyone else.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTrackedPage, screenshot } from './helpers/browser.ts';
import { startStack, type Stack } from './helpers/stack.ts';
import { WAIT_MS } from './helpers/widget.ts';

const OWNER = { email: 'founder@shop.test', name: 'Fay Founder', password: 'first-run-passphrase' };

let stack: Stack;
let admin: Page;
let adminErrors: string[];

beforeAll(async () => {
  // empty means unset (server/config.ts): this server starts with no admin account at all
  stack = await startStack({ env: { PARLEY_ADMIN_EMAIL: '', PARLEY_ADMIN_PASSWORD: '' } });
  const tracked = await openTrackedPage(stack.browser, { viewport: { width: 1400, height: 900 } });
  admin = tracked.page;
  adminErrors = tracked.errors;
  // a visitor chats first, so the list the new owner lands on has something in it
  const { widget } = await stack.visit();
  await widget.open();
  await widget.botSays('How likely are you to recommend').waitFor({ timeout: WAIT_MS });
});
afterAll(async () => {
  await stack?.close();
});

describe('first-run admin setup', () => {
  it('says at start that no account exists and where to create the owner', () => {
    expect(stack.parley.output()).toContain(`admin:  no account yet — open ${stack.parley.url}/admin to create the owner`);
  });

  it('creates the owner from /admin and lands in the conversation list it was opened on', async () => {
    await admin.goto(`${stack.parley.url}/admin/#/conversations`);
    await admin.getByRole('heading', { name: 'Create the owner account' }).waitFor({ timeout: WAIT_MS });
    expect(await admin.getByRole('heading', { name: 'Sign in' }).count()).toBe(0);
    await screenshot(admin, 'admin-setup-form');

    await admin.getByLabel('Email').fill(OWNER.email);
    await admin.getByLabel('Name').fill(OWNER.name);
    await admin.getByLabel('Password', { exact: true }).fill(OWNER.password);
    await admin.getByLabel('Confirm password').fill('not the same passphrase');
    await admin.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => admin.getByRole('alert').textContent()).toBe('The two passwords do not match.');
    expect(stack.query<{ n: number }>('SELECT count(*) AS n FROM users')[0]?.n).toBe(0);

    await admin.getByLabel('Confirm password').fill(OWNER.password);
    await admin.getByRole('button', { name: 'Create account' }).click();
    await admin.getByRole('heading', { name: 'Conversations' }).waitFor({ timeout: WAIT_MS });
    await admin.locator('a[href^="#/conversations/"]').first().waitFor({ timeout: WAIT_MS });
    expect(await admin.getByRole('navigation', { name: 'Main' }).textContent()).toContain(OWNER.email);
    await screenshot(admin, 'admin-setup');

    expect(stack.query<{ email: string; name: string; role: string }>('SELECT email, name, role FROM users')).toEqual([
      { email: OWNER.email, name: OWNER.name, role: 'owner' },
    ]);
    // the session cookie from setup is a real sign-in: a reload stays in the app
    await admin.reload();
    await admin.getByRole('heading', { name: 'Conversations' }).waitFor({ timeout: WAIT_MS });
  });

  it('closes setup afterwards: others get sign-in, and the API refuses a second owner', async () => {
    const other = await openTrackedPage(stack.browser);
    try {
      await other.page.goto(`${stack.parley.url}/admin/`);
      await other.page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: WAIT_MS });
      expect(await other.page.getByRole('heading', { name: 'Create the owner account' }).count()).toBe(0);
    } finally {
      await other.context.close();
    }
    const r = await fetch(`${stack.parley.url}/api/admin/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'intruder@evil.test', password: 'intruder-passphrase' }),
    });
    expect(r.status).toBe(409);
    expect(await r.json()).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(stack.query<{ n: number }>('SELECT count(*) AS n FROM users')[0]?.n).toBe(1);
  });

  it('shows no errors in the admin page beyond the signed-out start', () => {
    expect(adminErrors.filter((e) => !/status of 401 .*\/api\/admin\/session\)/.test(e))).toEqual([]);
  });
});

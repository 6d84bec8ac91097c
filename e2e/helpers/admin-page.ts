import type { Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './parley-server.ts';
import { WAIT_MS } from './widget.ts';

/**
 * Sign in to the admin page at `baseUrl` unless `page` already is, so each test can run on its
 * own; it ends on the conversation list (the overview is the first screen of a plain /admin/).
 */
export async function ensureSignedIn(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/admin/#/conversations`);
  // a hash-only change keeps the document: reload so each test starts with a fresh page (no filters)
  await page.reload();
  const signIn = page.getByRole('heading', { name: 'Sign in' });
  const list = page.getByRole('heading', { name: 'Conversations' });
  await signIn.or(list).waitFor({ timeout: WAIT_MS });
  if (await list.isVisible()) return;
  await page.getByLabel('Email').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await list.waitFor({ timeout: WAIT_MS });
}

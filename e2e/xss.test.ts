/**
 * XSS: every field a visitor controls (message text, identify name/email/id, page URL, locale)
 * carries payloads that would set window.__xss or call alert() if any of it were rendered as
 * HTML. They are typed into the widget in Chromium and then shown on every admin page; no script
 * runs, no dialog opens, and the text is shown literally.
 */
import type { Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XSS_PAYLOADS } from '../server/hostile/payloads.ts';
import { ensureSignedIn } from './helpers/admin-page.ts';
import { openTrackedPage } from './helpers/browser.ts';
import { startStack, type Stack } from './helpers/stack.ts';
import { connectVisitor, ok } from './helpers/visitor-client.ts';
import { WAIT_MS } from './helpers/widget.ts';

let stack: Stack;
const dialogs: string[] = [];
const watch = (page: Page) =>
  page.on('dialog', (d: Dialog) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
const ran = (page: Page) => page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss ?? null);

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

describe('XSS payloads in every visitor-controlled field', () => {
  const conversations: string[] = [];

  it('the widget shows what the visitor typed as text and runs none of it', async () => {
    const { page, widget, host } = await stack.visit({ data: { flow: 'support' } });
    watch(page);
    await widget.open();
    for (const payload of XSS_PAYLOADS) {
      await widget.send(payload);
      await widget.bubble(payload).first().waitFor({ timeout: WAIT_MS });
    }
    expect(await ran(page)).toBeNull();
    expect(dialogs).toEqual([]);
    // identify with payloads (the host page's own script calls the public API)
    await page.evaluate((p) => (window as unknown as { Parley: (m: string, a: object) => void }).Parley('identify', { id: p, name: p }), XSS_PAYLOADS[0]);

    // the same payloads in the name, e-mail-less identity, page URL and locale of other visitors
    for (const [i, payload] of XSS_PAYLOADS.entries()) {
      // an unknown token: the server treats it as a new visitor
      const s = await connectVisitor(stack.parley.url, host.origin, `xss-visitor-${i}-${'x'.repeat(16)}`);
      ok(await s.timeout(10_000).emitWithAck('session:hello', { locale: payload, pageUrl: payload }));
      ok(await s.timeout(10_000).emitWithAck('visitor:identify', { id: `xss-${i}`, name: payload }));
      const c = ok(await s.timeout(20_000).emitWithAck('conversation:start', { flowId: 'support', restart: true }));
      ok(await s.timeout(10_000).emitWithAck('message:send', { conversationId: c.conversation.id, clientId: `xss-msg-${i}-xxxx`, text: payload }));
      if (i % 2 === 0) ok(await s.timeout(10_000).emitWithAck('conversation:end', { conversationId: c.conversation.id }));
      conversations.push(c.conversation.id);
      s.close();
    }
    expect(await ran(page)).toBeNull();
    expect(dialogs).toEqual([]);
  });

  it('every admin page shows the payloads as text and runs none of them', async () => {
    const { page } = await openTrackedPage(stack.browser);
    watch(page);
    await ensureSignedIn(page, stack.parley.url);
    const base = `${stack.parley.url}/admin/`;
    const visit = async (hash: string, expectText?: string) => {
      await page.goto(`${base}${hash}`);
      await page.getByRole('heading').first().waitFor({ timeout: WAIT_MS });
      if (expectText) await page.getByText(expectText, { exact: true }).first().waitFor({ timeout: WAIT_MS });
      expect(await ran(page), hash).toBeNull();
    };
    // the list shows the visitors' names (payloads) and the previews
    await visit('#/conversations', XSS_PAYLOADS[1]);
    for (const [i, id] of conversations.entries()) {
      const payload = XSS_PAYLOADS[i]!;
      await visit(`#/conversations/${encodeURIComponent(id)}`);
      await page.getByRole('list', { name: 'Transcript' }).getByText(payload, { exact: true }).waitFor({ timeout: WAIT_MS });
      // the page URL, shown as text
      await page.getByText(`on ${payload}`, { exact: true }).waitFor({ timeout: WAIT_MS });
      expect(await ran(page), id).toBeNull();
    }
    // the rest of the admin pages (sites, flows, jobs, team, audit) with this data behind them
    for (const hash of ['#/sites', '#/flows', '#/jobs', '#/team', '#/audit']) await visit(hash);
    // search with a payload
    await visit('#/conversations');
    await page.getByRole('searchbox', { name: 'Search transcripts' }).fill(XSS_PAYLOADS[2]);
    await page.getByRole('searchbox', { name: 'Search transcripts' }).press('Enter');
    await page.getByText('Loading…').waitFor({ state: 'detached', timeout: WAIT_MS });
    expect(await ran(page)).toBeNull();
    expect(dialogs).toEqual([]);
    // nothing the payloads carried became an element
    expect(await page.locator('img[src="x"], svg[onload], iframe, details[ontoggle]').count()).toBe(0);
  });
});

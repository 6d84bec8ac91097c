/**
 * The core path in a real Chromium: a customer's page on another origin pastes the script tag,
 * the visitor chats with the demo NPS survey, reloads, loses the network, and so on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, screenshot } from './helpers/browser.ts';
import { startStack, type Stack } from './helpers/stack.ts';
import { startTcpProxy } from './helpers/tcp-proxy.ts';
import { connectVisitor, hello, ok } from './helpers/visitor-client.ts';
import { WAIT_MS } from './helpers/widget.ts';

const NPS_QUESTION = 'How likely are you to recommend';
/** what Chromium logs while the server is unreachable on purpose */
const NETWORK_NOISE = /ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_NETWORK_CHANGED|WebSocket connection to .* failed/;
const QUEUE_SNIPPET = `
  window.Parley = window.Parley || { q: [] };
  ['open', 'close', 'start', 'identify', 'on'].forEach(function (m) {
    Parley[m] = Parley[m] || function () { Parley.q.push([m, [].slice.call(arguments)]); };
  });`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const countVisitorMessages = (text: string): number =>
  stack.query<{ n: number }>(`SELECT count(*) AS n FROM messages WHERE author = 'visitor' AND text = ?`, text)[0]!.n;

describe('widget on a customer page (another origin)', () => {
  it('shows a launcher, opens a panel in a shadow root, answers NPS by clicking, and the transcript survives a reload', async () => {
    const { page, widget, host, errors } = await stack.visit();
    expect(new URL(host.origin).origin).not.toBe(new URL(stack.parley.url).origin);

    await widget.launcher.waitFor({ timeout: WAIT_MS });
    await screenshot(page, 'widget-closed');
    // the widget lives in a shadow root: the host document itself has no chat markup
    const placement = await page.evaluate(() => {
      const host = document.querySelector('parley-widget');
      return { shadow: Boolean(host?.shadowRoot), lightButtons: document.querySelectorAll('button').length };
    });
    expect(placement).toEqual({ shadow: true, lightButtons: 0 });

    await widget.open();
    await widget.waitForBot(NPS_QUESTION);
    // keyboard users land inside the panel, not on the page behind it
    await expect.poll(() => widget.focusedLabel()).not.toBe('Open chat');
    await expect.poll(() => widget.focusedLabel()).not.toBeNull();
    // the 0-10 scale: one row of eleven on the desktop panel, both ends named under it
    const rows = new Set<number>();
    for (let n = 0; n <= 10; n++) rows.add(Math.round((await widget.quickReply(String(n)).boundingBox())!.y));
    expect(rows.size).toBe(1);
    await widget.dialog.getByText('Not at all likely', { exact: true }).waitFor({ timeout: WAIT_MS });
    await widget.dialog.getByText('Extremely likely', { exact: true }).waitFor({ timeout: WAIT_MS });
    // the character counter stays out of the way until the limit is near
    expect(await widget.dialog.getByText(/characters left/).count()).toBe(0);
    await screenshot(page, 'widget-scale');

    await widget.quickReply('9').click();
    await widget.bubble('9').getByText('Sent').waitFor({ timeout: WAIT_MS });
    await widget.waitForBot('What do you like most');
    await screenshot(page, 'widget-open');

    // a reload mid-survey brings back the same conversation, transcript and question
    const before = await widget.transcript();
    expect(before).toContain('9');
    await page.reload();
    await widget.open();
    await widget.waitForBot('What do you like most');
    expect(await widget.transcript()).toEqual(before);

    await widget.quickReply('Skip').click();
    await widget.waitForBot('How satisfied were you with the delivery');
    await screenshot(page, 'widget-csat');
    await widget.quickReply(/^4$/).click();
    await widget.waitForBot("That's everything");
    await widget.dialog.getByText('This conversation has ended.').waitFor({ timeout: WAIT_MS });
    const finished = [...before, 'Skip', expect.stringContaining('How satisfied'), '4', expect.stringContaining("That's everything")];
    expect(await widget.transcript()).toEqual(finished);

    // a reload after the end shows the finished conversation and the offer to start anew, and starts nothing by itself
    const conversationsBefore = stack.query<{ n: number }>('SELECT count(*) AS n FROM conversations')[0]!.n;
    await page.reload();
    await widget.open();
    await widget.dialog.getByRole('button', { name: 'Start a new conversation' }).waitFor({ timeout: WAIT_MS });
    expect(await widget.transcript()).toEqual(finished);
    await widget.dialog.getByText('This conversation has ended.').waitFor({ timeout: WAIT_MS });
    expect(await widget.composer.count()).toBe(0);
    await screenshot(page, 'widget-ended-reload');
    expect(stack.query<{ n: number }>('SELECT count(*) AS n FROM conversations')[0]!.n).toBe(conversationsBefore);

    const answers = stack.query<{ question_id: string; value: string | null }>(
      `SELECT a.question_id, a.value FROM answers a JOIN messages m ON m.conversation_id = a.conversation_id
       WHERE m.author = 'visitor' AND m.text = '9' AND a.question_id = 'nps'`,
    );
    expect(answers.map((a) => a.value)).toContain('9');
    expect(errors).toEqual([]);
  });

  it('keeps a message typed while offline in the outbox and delivers it exactly once when back online', async () => {
    const proxy = await startTcpProxy(stack.parley.port);
    try {
      const { page, context, widget, errors } = await stack.visit({ parleyUrl: `http://localhost:${proxy.port}` });
      await widget.open();
      await widget.waitForBot(NPS_QUESTION);
      await widget.quickReply('9').click();
      await widget.waitForBot('What do you like most');

      await context.setOffline(true);
      await proxy.cut();
      await widget.alert.getByText(/Reconnecting/).waitFor({ timeout: WAIT_MS });

      const text = 'Delivery is always quick and the support team is friendly';
      await widget.send(text);
      await widget.bubble(text).getByText('Sending…').waitFor({ timeout: WAIT_MS });
      await screenshot(page, 'widget-offline');
      expect(countVisitorMessages(text)).toBe(0);

      await proxy.restore();
      await context.setOffline(false);
      await widget.bubble(text).getByText('Sent').waitFor({ timeout: 30_000 });
      await widget.alert.waitFor({ state: 'hidden', timeout: WAIT_MS });
      expect(countVisitorMessages(text)).toBe(1);

      await page.reload();
      await widget.open();
      await widget.bubble(text).waitFor({ timeout: WAIT_MS });
      expect((await widget.transcript()).filter((t) => t === text)).toHaveLength(1);
      expect(countVisitorMessages(text)).toBe(1);
      expect(errors.filter((e) => !NETWORK_NOISE.test(e))).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it('fetches the messages it missed while disconnected', async () => {
    const proxy = await startTcpProxy(stack.parley.port);
    try {
      const { page, widget, host } = await stack.visit({ parleyUrl: `http://localhost:${proxy.port}` });
      await widget.open();
      await widget.waitForBot(NPS_QUESTION);
      await proxy.cut();
      await widget.alert.getByText(/Reconnecting/).waitFor({ timeout: WAIT_MS });

      // meanwhile the same visitor answers from another device; the bot replies there
      const token = await page.evaluate(() => localStorage.getItem('parley:demo:token'));
      const other = await connectVisitor(stack.parley.url, host.origin, token!);
      let conversationId: string;
      try {
        const { conversation } = await hello(other);
        conversationId = conversation!.id;
        ok(await other.timeout(10_000).emitWithAck('message:send', { conversationId, clientId: 'other-device-01', text: '10', value: '10' }));
      } finally {
        other.disconnect();
      }
      const botReplied = () =>
        stack.query<{ n: number }>(
          `SELECT count(*) AS n FROM messages WHERE conversation_id = ? AND author = 'bot' AND text LIKE '%What do you like most%'`,
          conversationId,
        )[0]!.n;
      await expect.poll(botReplied).toBe(1);
      expect(await widget.transcript()).not.toContain('10');

      await proxy.restore();
      await widget.waitForBot('What do you like most', 30_000);
      const lines = await widget.transcript();
      expect(lines.filter((t) => t === '10')).toHaveLength(1);
      expect(lines.filter((t) => t.includes('What do you like most'))).toHaveLength(1);
    } finally {
      await proxy.stop();
    }
  });

  it('gives a page on an origin the site does not allow no chat', async () => {
    const conversationsBefore = stack.query<{ n: number }>('SELECT count(*) AS n FROM conversations')[0]!.n;
    const visitorsBefore = stack.query<{ n: number }>('SELECT count(*) AS n FROM visitors')[0]!.n;
    // 127.0.0.2 reaches this machine like 127.0.0.1, but the demo site allows only localhost and 127.0.0.1
    const { widget, page } = await stack.visit({ host: '127.0.0.2' });
    expect(new URL(page.url()).hostname).toBe('127.0.0.2');

    await widget.open();
    // the server refuses the handshake with origin_not_allowed; the widget says so (not "reconnecting") and shows no conversation
    await widget.alert.getByText('Chat is not available on this page.').waitFor({ timeout: WAIT_MS });
    expect(await widget.transcript()).not.toContain(expect.stringContaining('How likely'));
    // a chat that will never send takes no typing (it used to leave the message "Sending…" forever)
    await expect.poll(() => widget.composer.isDisabled()).toBe(true);
    expect(await widget.sendButton.isDisabled()).toBe(true);
    await screenshot(page, 'widget-disallowed-origin');
    expect(stack.query<{ n: number }>('SELECT count(*) AS n FROM conversations')[0]!.n).toBe(conversationsBefore);
    expect(stack.query<{ n: number }>('SELECT count(*) AS n FROM visitors')[0]!.n).toBe(visitorsBefore);
  });

  it('tells a visitor who sends too fast, in words, and keeps the refused message for a retry', async () => {
    const { page, widget } = await stack.visit({ data: { flow: 'support' } });
    await widget.open();
    await widget.waitForBot("I'm the Northwind Goods assistant");
    // far more than a person types: the per-visitor limit (a burst of 20) must trip
    for (let i = 1; i <= 30; i++) await widget.send(`Where is my order number ${1000 + i}?`);
    await widget.dialog.getByText(/sending messages too quickly/i).first().waitFor({ timeout: WAIT_MS });
    await widget.dialog.getByRole('button', { name: 'Retry' }).waitFor({ timeout: WAIT_MS });
    await screenshot(page, 'widget-rate-limited');
    const stored = stack.query<{ n: number }>(`SELECT count(*) AS n FROM messages WHERE author = 'visitor' AND text LIKE 'Where is my order number 10%'`)[0]!.n;
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(30);
  });

  it('shows visitor text that looks like HTML as plain text and runs none of it', async () => {
    const { page, widget, errors } = await stack.visit({ data: { flow: 'support' } });
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await widget.open();
    await widget.waitForBot("I'm the Northwind Goods assistant");
    const hostile = '<img src=x onerror="alert(1)"><b>bold?</b>';
    await widget.send(hostile);
    await widget.bubble(hostile).getByText('Sent').waitFor({ timeout: WAIT_MS });
    const injected = await page.evaluate(() => document.querySelector('parley-widget')!.shadowRoot!.querySelectorAll('.pl-log img, .pl-log b').length);
    expect(injected).toBe(0);
    expect(dialogs).toBe(0);
    expect(errors).toEqual([]);
  });

  it('replays window.Parley calls made before the script loaded', async () => {
    const { page, widget, errors } = await stack.visit({
      before: `${QUEUE_SNIPPET}
        window.seen = [];
        Parley.on('ready', function () { seen.push('ready'); });
        Parley.on('open', function () { seen.push('open'); });
        Parley.start('support');`,
    });
    await widget.dialog.waitFor({ state: 'visible', timeout: WAIT_MS });
    await widget.waitForBot("I'm the Northwind Goods assistant");
    expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual(expect.arrayContaining(['ready', 'open']));
    expect(errors).toEqual([]);
  });

  it('can be used with the keyboard alone', async () => {
    const { page, widget, errors } = await stack.visit({ data: { flow: 'support' } });
    await widget.launcher.waitFor({ timeout: WAIT_MS });
    // the host page has no focusable element of its own: the first Tab reaches the launcher
    await page.keyboard.press('Tab');
    await expect.poll(() => widget.focusedLabel()).toMatch(/^Open chat/);
    await page.keyboard.press('Enter');
    await widget.waitForBot("I'm the Northwind Goods assistant");
    await expect.poll(() => widget.focusedLabel()).toBe('Message');
    await page.keyboard.type('What are your opening hours?');
    await page.keyboard.press('Enter');
    await widget.bubble('What are your opening hours?').getByText('Sent').waitFor({ timeout: WAIT_MS });
    expect(await widget.composer.inputValue()).toBe('');
    expect(errors).toEqual([]);
  });

  it('closes on Escape and gives focus back to the launcher', async () => {
    const { page, widget } = await stack.visit();
    await widget.open();
    await widget.composer.click();
    await page.keyboard.press('Escape');
    await widget.dialog.waitFor({ state: 'hidden', timeout: WAIT_MS });
    expect(await widget.launcher.getAttribute('aria-expanded')).toBe('false');
    await expect.poll(() => widget.focusedLabel()).toMatch(/^Open chat/);
  });

  it('fills the screen on a narrow phone viewport', async () => {
    const { page, widget, errors } = await stack.visit({}, PHONE);
    await widget.open();
    await widget.waitForBot(NPS_QUESTION);
    // the 0-10 scale still fits in one row on a 375 px phone
    const rows = new Set<number>();
    for (let n = 0; n <= 10; n++) rows.add(Math.round((await widget.quickReply(String(n)).boundingBox())!.y));
    expect(rows.size).toBe(1);
    // one focus ring on the message box: no outline drawn around its own (recoloured) border
    await widget.composer.focus();
    const ring = await widget.composer.evaluate((el) => {
      const s = getComputedStyle(el);
      return { outline: s.outlineStyle, shadow: s.boxShadow };
    });
    expect(ring.outline).toBe('none');
    expect(ring.shadow).not.toBe('none');
    await screenshot(page, 'widget-phone');
    const box = await widget.dialog.boundingBox();
    const vp = page.viewportSize()!;
    expect(box).not.toBeNull();
    expect(Math.round(box!.x)).toBe(0);
    expect(Math.round(box!.y)).toBe(0);
    expect(Math.round(box!.width)).toBe(vp.width);
    expect(Math.round(box!.height)).toBe(vp.height);
    expect(errors).toEqual([]);
  });
});

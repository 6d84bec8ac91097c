/**
 * The embed's public surface beyond the core path: script-tag options, window.Parley events,
 * identify() with a user hash, and the unread badge for replies that arrive while closed.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './helpers/stack.ts';
import { connectVisitor, hello, ok } from './helpers/visitor-client.ts';
import { WAIT_MS } from './helpers/widget.ts';


let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

interface IdentifyOutcome {
  verified: boolean;
  error?: { code: string };
}

describe('embed options and the window.Parley API', () => {
  it('honours data-position, data-color and data-lang', async () => {
    const { page, widget } = await stack.visit({ data: { position: 'bottom-left', color: '#16a34a', lang: 'de' } });
    const launcher = page.getByRole('button', { name: 'Chat öffnen' });
    await launcher.waitFor({ timeout: WAIT_MS });
    const look = await launcher.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: innerWidth - r.right, background: getComputedStyle(el).backgroundColor };
    });
    expect(look.left).toBeLessThan(look.right);
    expect(look.background).toBe('rgb(22, 163, 74)');

    await launcher.click();
    await page.getByRole('textbox', { name: 'Nachricht' }).waitFor({ timeout: WAIT_MS });
    await page.getByRole('button', { name: 'Senden', exact: true }).waitFor({ timeout: WAIT_MS });
    expect(await widget.composer.count()).toBe(0);
  });

  it('works on a page with a strict Content-Security-Policy that forbids inline styles', async () => {
    const parley = stack.parley.url;
    const ws = parley.replace(/^http/, 'ws');
    const csp = `default-src 'none'; script-src ${parley}; connect-src ${parley} ${ws}; style-src 'self'; img-src 'self' data:`;
    const { widget, errors } = await stack.visit({ unstyled: true, headers: { 'content-security-policy': csp } });
    await widget.launcher.waitFor({ timeout: WAIT_MS });
    // styles arrive as constructed stylesheets, which style-src does not block
    expect(await widget.launcher.evaluate((el) => getComputedStyle(el).position)).toBe('fixed');
    await widget.open();
    await widget.waitForBot('How likely are you to recommend');
    await widget.quickReply('9').click();
    await widget.waitForBot('What do you like most');
    expect(await widget.dialog.evaluate((el) => getComputedStyle(el).display)).not.toBe('inline');
    // any CSP violation report here would be the widget's: the page has no inline code of its own
    expect(errors).toEqual([]);
  });

  it('reports open, close, message and conversation:end to Parley.on handlers', async () => {
    const { page, widget, errors } = await stack.visit();
    await widget.launcher.waitFor({ timeout: WAIT_MS });
    await page.evaluate(() => {
      const w = window as unknown as { events: string[]; Parley: { on(e: string, fn: (p?: unknown) => void): void } };
      w.events = [];
      for (const e of ['open', 'close', 'message', 'conversation:end']) {
        w.Parley.on(e, (p) => w.events.push(e === 'message' ? `message:${(p as { author: string }).author}` : e));
      }
    });
    await widget.open();
    await widget.waitForBot('How likely are you to recommend');
    await widget.quickReply('10').click();
    await widget.waitForBot('What do you like most');
    await widget.quickReply('Skip').click();
    await widget.waitForBot('How satisfied were you with the delivery');
    await widget.quickReply(/^5/).click();
    await widget.waitForBot("That's everything");
    await widget.closeButton.click();

    const events = async () => page.evaluate(() => (window as unknown as { events: string[] }).events);
    await expect.poll(events).toContain('close');
    const seen = await events();
    expect(seen[0]).toBe('open');
    expect(seen).toEqual(expect.arrayContaining(['message:bot', 'message:visitor', 'conversation:end']));
    expect(seen.filter((e) => e === 'conversation:end')).toHaveLength(1);

    // after a reload the finished conversation is shown again, not reported as ending a second
    // time, and Parley.start() begins a new one
    await page.reload();
    await widget.launcher.waitFor({ timeout: WAIT_MS });
    await page.evaluate(() => {
      const w = window as unknown as { events: string[]; Parley: { on(e: string, fn: () => void): void } };
      w.events = [];
      w.Parley.on('conversation:end', () => w.events.push('conversation:end'));
    });
    await widget.open();
    const startNew = widget.dialog.getByRole('button', { name: 'Start a new conversation' });
    await startNew.waitFor({ timeout: WAIT_MS });
    await widget.botSays("That's everything").waitFor({ timeout: WAIT_MS });
    await page.evaluate(() => (window as unknown as { Parley: { start(flow: string): void } }).Parley.start('nps'));
    await startNew.waitFor({ state: 'detached', timeout: WAIT_MS });
    await widget.composer.waitFor({ timeout: WAIT_MS });
    await expect.poll(async () => (await widget.transcript()).some((t) => t.includes("That's everything"))).toBe(false);
    await widget.waitForBot('How likely are you to recommend');
    expect(await events()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('identify() marks a visitor verified with the right user hash and refuses a wrong one', async () => {
    const { page, widget } = await stack.visit();
    await widget.open();
    await widget.waitForBot('How likely are you to recommend');
    const identify = (id: string, userHash: string) =>
      page.evaluate(
        ([id, userHash]) =>
          (window as unknown as { Parley: { identify(i: object): Promise<IdentifyOutcome> } }).Parley.identify({
            id,
            name: 'Ana Lima',
            email: 'ana@example.com',
            userHash,
          }),
        [id, userHash] as const,
      );
    // the demo site's secret is generated at seed time; a real site's server reads it from the admin page
    const [{ identity_secret: secret } = { identity_secret: '' }] = stack.query<{ identity_secret: string }>(`SELECT identity_secret FROM sites WHERE key = 'demo'`);
    const good = await identify('cust-42', createHmac('sha256', secret).update('cust-42').digest('hex'));
    expect(good.verified).toBe(true);
    const bad = await identify('cust-43', createHmac('sha256', 'not-the-secret').update('cust-43').digest('hex'));
    expect(bad.verified).toBe(false);
    expect(bad.error?.code).toBe('invalid_user_hash');

    const rows = stack.query<{ external_id: string; verified: number }>(`SELECT external_id, verified FROM visitors WHERE external_id LIKE 'cust-4%'`);
    expect(rows).toEqual([{ external_id: 'cust-42', verified: 1 }]);
  });

  it('counts replies that arrive while the panel is closed on the launcher badge', async () => {
    const { page, widget, host } = await stack.visit();
    await widget.open();
    await widget.waitForBot('How likely are you to recommend');
    await widget.closeButton.click();
    await widget.dialog.waitFor({ state: 'hidden', timeout: WAIT_MS });

    // the same visitor answers from another tab: the bot's reply reaches this closed widget
    const token = await page.evaluate(() => localStorage.getItem('parley:demo:token'));
    expect(token).toBeTruthy();
    const other = await connectVisitor(stack.parley.url, host.origin, token!);
    try {
      const { conversation } = await hello(other);
      expect(conversation).not.toBeNull();
      ok(await other.timeout(10_000).emitWithAck('message:send', { conversationId: conversation!.id, clientId: 'other-tab-0001', text: '9', value: '9' }));

      const badged = page.getByRole('button', { name: /^Open chat \(\d+ unread/ });
      await badged.waitFor({ timeout: WAIT_MS });
      await widget.launcher.click();
      await widget.waitForBot('What do you like most');
      await page.getByRole('button', { name: 'Open chat', exact: true }).waitFor({ timeout: WAIT_MS });
    } finally {
      other.disconnect();
    }
  });
});

/**
 * Issue 12, faults: a widget that was offline for an hour delivers its outbox once. The server
 * ended the conversation for inactivity meanwhile; the visitor's queued message reopens it, the
 * survey carries on, and the panel shows an open conversation (no "ended" footer).
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './helpers/browser.ts';
import { startStack, type Stack } from './helpers/stack.ts';
import { startTcpProxy } from './helpers/tcp-proxy.ts';
import { WAIT_MS } from './helpers/widget.ts';

const HOUR = 60 * 60_000;
const NETWORK_NOISE = /ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_NETWORK_CHANGED|WebSocket connection to .* failed/;

let stack: Stack;
beforeAll(async () => {
  // the real idle sweeper, run often; the test moves the conversation's clock instead of waiting
  stack = await startStack({ env: { PARLEY_IDLE_SWEEP_MS: '200', PARLEY_DEMO_HISTORY: 'false' } });
});
afterAll(async () => {
  await stack?.close();
});

const conversationOf = (text: string) =>
  stack.query<{ conversation_id: string }>(`SELECT conversation_id FROM messages WHERE author = 'visitor' AND text = ?`, text).map((r) => r.conversation_id);
const statusOf = (id: string) => stack.query<{ status: string; end_reason: string | null }>('SELECT status, end_reason FROM conversations WHERE id = ?', id)[0];

/** the conversation's last activity an hour back, as if the visitor had been away that long */
function backdate(conversationId: string): void {
  const db = new Database(stack.parley.dbPath, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('UPDATE conversations SET last_activity_at = last_activity_at - ? WHERE id = ?').run(HOUR, conversationId);
  } finally {
    db.close();
  }
}

describe('a widget offline past the idle timeout', () => {
  it('delivers its outbox once: the reply reopens the conversation and the survey goes on', async () => {
    const proxy = await startTcpProxy(stack.parley.port);
    try {
      const { page, context, widget, errors } = await stack.visit({ parleyUrl: `http://localhost:${proxy.port}` });
      await widget.launcher.waitFor({ timeout: WAIT_MS });
      // what the host page hears through the JS API
      await page.evaluate(() => {
        const w = window as unknown as { ends: string[]; Parley: { on(e: string, fn: (p: { reason: string }) => void): void } };
        w.ends = [];
        w.Parley.on('conversation:end', (p) => w.ends.push(p.reason));
      });
      const ends = () => page.evaluate(() => (window as unknown as { ends: string[] }).ends);
      await widget.open();
      await widget.waitForBot('How likely are you to recommend');
      await widget.quickReply('9').click();
      await widget.waitForBot('What do you like most');
      const open = stack.query<{ id: string }>(`SELECT id FROM conversations WHERE status = 'open' AND source = 'widget'`);
      expect(open).toHaveLength(1);
      const conversationId = open[0]!.id;
      expect(conversationOf('9')).toEqual([conversationId]);

      await context.setOffline(true);
      await proxy.cut();
      await widget.alert.getByText(/Reconnecting/).waitFor({ timeout: WAIT_MS });
      const text = 'Delivery is always quick and the support team is friendly';
      await widget.send(text);
      await widget.bubble(text).getByText('Sending…').waitFor({ timeout: WAIT_MS });

      // an hour later the sweeper ends it for inactivity
      backdate(conversationId);
      await expect.poll(() => statusOf(conversationId), { timeout: 30_000 }).toEqual({ status: 'ended', end_reason: 'idle' });
      expect(conversationOf(text)).toEqual([]);

      await proxy.restore();
      await context.setOffline(false);
      await widget.bubble(text).getByText('Sent').waitFor({ timeout: 30_000 });
      await widget.waitForBot('How satisfied were you with the delivery');
      expect(conversationOf(text)).toEqual([conversationId]);
      expect(statusOf(conversationId)).toEqual({ status: 'open', end_reason: null });
      // shown as an open conversation: the composer, no "ended" footer, no offer to start anew
      await widget.composer.waitFor({ timeout: WAIT_MS });
      expect(await widget.dialog.getByText('This conversation has ended.').count()).toBe(0);
      // and the host page was never told it ended: the idle end was undone by the queued reply
      expect(await ends()).toEqual([]);
      await screenshot(page, 'widget-reopened');

      // what the visitor types next goes to the same conversation
      await widget.quickReply(/^5$/).click();
      await widget.waitForBot("That's everything");
      expect(conversationOf('5')).toEqual([conversationId]);
      expect(conversationOf(text)).toEqual([conversationId]);
      // the survey completed after the reopen: it ends as completed, analysed once more
      await expect.poll(() => statusOf(conversationId), { timeout: WAIT_MS }).toEqual({ status: 'ended', end_reason: 'completed' });
      await expect.poll(ends, { timeout: WAIT_MS }).toEqual(['completed']);
      expect(errors.filter((e) => !NETWORK_NOISE.test(e))).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });
});

/**
 * The widget as a visitor meets it, found by role and accessible name (locators pierce the open
 * shadow root). Keep selectors here so a markup change is fixed in one place.
 */
import type { Locator, Page } from 'playwright-core';

export const WAIT_MS = 20_000;

export interface WidgetView {
  launcher: Locator;
  dialog: Locator;
  log: Locator;
  composer: Locator;
  sendButton: Locator;
  closeButton: Locator;
  /** connection trouble and refusals, said in words */
  alert: Locator;
  quickReply(name: string | RegExp): Locator;
  /** the bubble showing exactly this text */
  bubble(text: string): Locator;
  /** a bot line containing this text */
  botSays(text: string | RegExp): Locator;
  /** wait for a bot line containing `text`; a timeout reports the transcript so far */
  waitForBot(text: string | RegExp, timeoutMs?: number): Promise<Locator>;
  open(): Promise<void>;
  send(text: string): Promise<void>;
  /** every message text in the transcript, in order */
  transcript(): Promise<string[]>;
  /** the aria-label (or tag name) of whatever has focus inside the shadow root */
  focusedLabel(): Promise<string | null>;
}

export function widgetOn(page: Page): WidgetView {
  const dialog = page.getByRole('dialog');
  const log = page.getByRole('log', { name: 'Messages' });
  const launcher = page.getByRole('button', { name: /^Open chat/ });
  const composer = page.getByRole('textbox', { name: 'Message' });
  const sendButton = page.getByRole('button', { name: 'Send', exact: true });
  return {
    launcher,
    dialog,
    log,
    composer,
    sendButton,
    closeButton: page.getByRole('button', { name: 'Close chat' }),
    alert: dialog.getByRole('alert'),
    quickReply: (name) => dialog.getByRole('group').getByRole('button', typeof name === 'string' ? { name, exact: true } : { name }),
    bubble: (text) => log.locator('.pl-msg').filter({ has: page.getByText(text, { exact: true }) }),
    botSays: (text) => log.locator('.pl-msg.pl-bot').filter({ hasText: text }),
    async waitForBot(text, timeoutMs = WAIT_MS) {
      const line = log.locator('.pl-msg.pl-bot').filter({ hasText: text });
      try {
        await line.last().waitFor({ timeout: timeoutMs });
      } catch (err) {
        const seen = await log.locator('.pl-msg').allInnerTexts().catch(() => []);
        throw new Error(`no bot line matching ${String(text)} within ${timeoutMs} ms; transcript:\n${seen.map((t) => `  ${t.replace(/\s+/g, ' ')}`).join('\n')}`, { cause: err });
      }
      return line.last();
    },
    async open() {
      await launcher.click();
      await dialog.waitFor({ state: 'visible', timeout: WAIT_MS });
    },
    async send(text) {
      await composer.fill(text);
      await sendButton.click();
    },
    transcript: () => log.locator('.pl-msg .pl-text').allInnerTexts(),
    focusedLabel: () =>
      page.evaluate(() => {
        const el = document.querySelector('parley-widget')?.shadowRoot?.activeElement;
        return el ? (el.getAttribute('aria-label') ?? el.tagName.toLowerCase()) : null;
      }),
  };
}

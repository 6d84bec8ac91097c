/**
 * Per test file: one Parley server and one Chromium; per test: a host page on its own origin
 * and a fresh browser context (a new visitor with empty localStorage).
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { launchBrowser, openTrackedPage } from './browser.ts';
import { startHostPage, type HostPage, type HostPageOptions } from './host-page.ts';
import { startParley, type ParleyServer, type StartOptions } from './parley-server.ts';
import { widgetOn, type WidgetView } from './widget.ts';

export interface Stack {
  parley: ParleyServer;
  browser: Browser;
  /** open a host page pasting the embed, in a fresh context */
  visit(host?: Partial<HostPageOptions>, context?: BrowserContextOptions): Promise<Visit>;
  /** run a read-only query against the server's database */
  query<T>(sql: string, ...params: unknown[]): T[];
  close(): Promise<void>;
}

export interface Visit {
  host: HostPage;
  context: BrowserContext;
  page: Page;
  widget: WidgetView;
  errors: string[];
}

export async function startStack(opts: StartOptions = {}): Promise<Stack> {
  const parley = await startParley(opts);
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (err) {
    await parley.stop();
    throw err;
  }
  const cleanups: Array<() => Promise<void>> = [];
  return {
    parley,
    browser,
    async visit(host = {}, context = {}) {
      const page = await startHostPage({ parleyUrl: parley.url, ...host });
      const tracked = await openTrackedPage(browser, context);
      cleanups.push(() => tracked.context.close(), () => page.stop());
      await tracked.page.goto(page.url);
      return { host: page, ...tracked, widget: widgetOn(tracked.page) };
    },
    query<T>(sql: string, ...params: unknown[]): T[] {
      const db = parley.openDb();
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    },
    async close() {
      for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await parley.stop();
    },
  };
}

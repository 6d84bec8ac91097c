/**
 * What the widget costs a host page, gzip -9 as the issue measures it: the loader every page
 * downloads before the visitor opens the chat, and everything once the chat is open.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { row, type BenchRow } from './row.ts';

export const LOADER_FILE = 'dist/widget.js';
export const PANEL_FILE = 'dist/widget-panel.js';
/** the budgets in bytes, read strictly: 1 KB = 1000 bytes (3 KB = 3,000, 30 KB = 30,000) */
export const BUDGET = { beforeOpen: 3_000, whenOpen: 30_000 } as const;
/** other embeds measured the same way, quoted from the issue, in bytes (1 KB = 1000 bytes) */
export const REFERENCE_SIZES = { Typebot: 196_000, Botpress: 180_000, Flowise: 284_000 } as const;

export interface WidgetSizes {
  /** gzip -9 bytes a host page downloads before the chat is opened */
  beforeOpen: number;
  /** gzip -9 bytes downloaded once the chat is open (loader + panel) */
  whenOpen: number;
}

export function gzipSize(path: string): number {
  return gzipSync(readFileSync(path), { level: 9 }).length;
}

export function measureSizes(root: string): WidgetSizes {
  const missing = [LOADER_FILE, PANEL_FILE].filter((f) => !existsSync(join(root, f)));
  if (missing.length) throw new Error(`${missing.join(', ')} not built: run "npm run build" first`);
  const loader = gzipSize(join(root, LOADER_FILE));
  const panel = gzipSize(join(root, PANEL_FILE));
  return { beforeOpen: loader, whenOpen: loader + panel };
}

export function benchSizes(root: string): BenchRow[] {
  const s = measureSizes(root);
  // 1 KB = 1000 bytes, the strict reading of the budgets
  const kb = (b: number): number => Math.round(b / 10) / 100;
  return [
    row('widget before open (gzip -9)', kb(s.beforeOpen), 'KB', kb(BUDGET.beforeOpen), 'budget'),
    row('widget when open (gzip -9)', kb(s.whenOpen), 'KB', kb(BUDGET.whenOpen), 'budget'),
    ...Object.entries(REFERENCE_SIZES).map(([name, bytes]) =>
      row(`widget when open vs ${name} embed`, kb(s.whenOpen), 'KB', kb(bytes), `${name} (quoted)`),
    ),
  ];
}

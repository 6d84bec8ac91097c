import { en } from '../../../shared/widget-i18n/strings-en.ts';
import type { StringTable } from './translator.ts';

/** Fetches one language's table; rejects when it cannot, and the panel then speaks English. */
export type LoadStrings = (lang: string) => Promise<StringTable>;

// a hung request must not keep the panel blank: English after this long
const TIMEOUT_MS = 8000;

/**
 * Loads tables from the server the widget came from (GET /widget-i18n/<lang>.json). English is
 * built in, so it never costs a request.
 */
export function fetchStrings(base: string): LoadStrings {
  return async (lang) => {
    if (lang === 'en') return {};
    const res = await fetch(`${base}/widget-i18n/${encodeURIComponent(lang)}.json`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!res.ok) throw new Error(`Parley: no strings for "${lang}" (HTTP ${res.status})`);
    return onlyStrings(await res.json());
  };
}

/** Keeps the known keys with string values: whatever else the answer holds is ignored, not shown. */
export function onlyStrings(body: unknown): StringTable {
  const table: Record<string, string> = {};
  if (body && typeof body === 'object')
    for (const [key, value] of Object.entries(body)) if (Object.prototype.hasOwnProperty.call(en, key) && typeof value === 'string') table[key] = value;
  return table;
}

/**
 * Calendar days in a site's time zone (IANA names), with Intl only: the day a moment falls on,
 * the moment a day starts, and the day/week/month bucket a day belongs to. Days are 'YYYY-MM-DD'
 * strings; arithmetic on them is plain calendar arithmetic, so a daylight-saving change never
 * makes a day vanish or repeat.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** true when the runtime knows this IANA time zone name */
/** zones already checked: building an Intl.DateTimeFormat per call was a visible share of a message */
const zoneValidity = new Map<string, boolean>();
const ZONE_VALIDITY_CAP = 1_000;

export function isValidTimeZone(name: string): boolean {
  if (!/^[A-Za-z_+\-/0-9]{1,64}$/.test(name)) return false;
  const known = zoneValidity.get(name);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    valid = true;
  } catch {
    valid = false;
  }
  if (zoneValidity.size >= ZONE_VALIDITY_CAP) zoneValidity.delete(zoneValidity.keys().next().value!);
  zoneValidity.set(name, valid);
  return valid;
}

function parts(epochMs: number, timeZone: string): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const out = { y: 0, m: 0, d: 0, h: 0, min: 0, s: 0 };
  for (const p of formatter(timeZone).formatToParts(epochMs)) {
    if (p.type === 'year') out.y = Number(p.value);
    else if (p.type === 'month') out.m = Number(p.value);
    else if (p.type === 'day') out.d = Number(p.value);
    else if (p.type === 'hour') out.h = Number(p.value);
    else if (p.type === 'minute') out.min = Number(p.value);
    else if (p.type === 'second') out.s = Number(p.value);
  }
  return out;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** the local calendar day of a moment, 'YYYY-MM-DD' */
export function localDay(epochMs: number, timeZone: string): string {
  const p = parts(epochMs, timeZone);
  return `${pad(p.y, 4)}-${pad(p.m)}-${pad(p.d)}`;
}

/** the zone's offset from UTC at a moment, in ms (Berlin in summer: +2 h) */
function offsetAt(epochMs: number, timeZone: string): number {
  const p = parts(epochMs, timeZone);
  const asUtc = Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

function dayUtc(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
}

/** the first moment (epoch ms) of a local day */
export function dayStart(day: string, timeZone: string): number {
  const guess = dayUtc(day);
  let t = guess - offsetAt(guess, timeZone);
  // the offset at the true moment can differ from the offset at the guess (a change that day)
  t = guess - offsetAt(t, timeZone);
  return t;
}

/** a day plus n calendar days */
export function addDays(day: string, n: number): string {
  const t = new Date(dayUtc(day) + n * 86_400_000);
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** calendar days from a to b (b - a) */
export function daysBetween(a: string, b: string): number {
  return Math.round((dayUtc(b) - dayUtc(a)) / 86_400_000);
}

export type Granularity = 'day' | 'week' | 'month';

/** the bucket a day belongs to, named by its first day (weeks start on Monday, ISO 8601) */
export function bucketOf(day: string, granularity: Granularity): string {
  if (granularity === 'day') return day;
  if (granularity === 'month') return `${day.slice(0, 7)}-01`;
  const weekday = new Date(dayUtc(day)).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

/** the first day after a bucket */
export function bucketEnd(bucket: string, granularity: Granularity): string {
  if (granularity === 'day') return addDays(bucket, 1);
  if (granularity === 'week') return addDays(bucket, 7);
  const [y, m] = bucket.split('-').map(Number);
  const next = new Date(Date.UTC(y ?? 1970, m ?? 1, 1));
  return `${pad(next.getUTCFullYear(), 4)}-${pad(next.getUTCMonth() + 1)}-01`;
}

/** every bucket from the one holding `from` to the one holding `to` */
export function bucketsBetween(from: string, to: string, granularity: Granularity): string[] {
  const out: string[] = [];
  for (let b = bucketOf(from, granularity); b <= to; b = bucketEnd(b, granularity)) out.push(b);
  return out;
}

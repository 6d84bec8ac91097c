/**
 * Whether a person can answer now, from a site's opening hours in its own time zone, and when
 * the next opening is. Windows whose close is not after their open run past midnight.
 */
import type { BusinessHours } from '../../shared/site.ts';

export interface Availability {
  humansAvailable: boolean;
  humansBackAt: number | null;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function formatter(timeZone: string): Intl.DateTimeFormat {
  const opts: Intl.DateTimeFormatOptions = {
    year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23',
  };
  try {
    return new Intl.DateTimeFormat('en-US', { ...opts, timeZone });
  } catch {
    // an unknown zone in stored settings must not take the widget down
    return new Intl.DateTimeFormat('en-US', { ...opts, timeZone: 'UTC' });
  }
}

/** the wall-clock time in the zone, expressed as if it were UTC epoch ms */
function wallClock(fmt: Intl.DateTimeFormat, at: number): number {
  const p = Object.fromEntries(fmt.formatToParts(at).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
}

/** epoch ms of a wall-clock time in the zone (two passes handle DST shifts) */
function fromWall(fmt: Intl.DateTimeFormat, wall: number): number {
  let guess = wall - (wallClock(fmt, wall) - wall);
  guess = wall - (wallClock(fmt, guess) - guess);
  return guess;
}

export function availability(hours: BusinessHours | null, now: number): Availability {
  if (!hours) return { humansAvailable: true, humansBackAt: null };
  if (hours.days.length === 0) return { humansAvailable: false, humansBackAt: null };
  const fmt = formatter(hours.timezone);
  const wall = wallClock(fmt, now);
  const dayStart = Math.floor(wall / DAY) * DAY;
  const weekday = new Date(dayStart).getUTCDay();
  const minute = Math.floor((wall - dayStart) / MINUTE);

  const open = hours.days.some((d) => {
    const o = toMinutes(d.open);
    const c = toMinutes(d.close);
    if (c > o) return d.day === weekday && minute >= o && minute < c;
    return (d.day === weekday && minute >= o) || (d.day === (weekday + 6) % 7 && minute < c);
  });
  if (open) return { humansAvailable: true, humansBackAt: null };

  let next: number | null = null;
  for (let offset = 0; offset <= 7; offset++) {
    const start = dayStart + offset * DAY;
    const wd = new Date(start).getUTCDay();
    for (const d of hours.days) {
      if (d.day !== wd) continue;
      const at = start + toMinutes(d.open) * MINUTE;
      if (at > wall && (next === null || at < next)) next = at;
    }
    if (next !== null) break;
  }
  return { humansAvailable: false, humansBackAt: next === null ? null : fromWall(fmt, next) };
}

import { describe, expect, it } from 'vitest';
import { bucketOf, bucketsBetween, dayStart, isValidTimeZone, localDay } from './zoned-time.ts';

describe('days in a time zone', () => {
  it('puts a moment on the local day, not the UTC day', () => {
    // 2026-03-28 23:30 UTC is already Sunday 00:30 in Berlin (CET, +1)
    expect(localDay(Date.UTC(2026, 2, 28, 23, 30), 'Europe/Berlin')).toBe('2026-03-29');
    expect(localDay(Date.UTC(2026, 2, 28, 23, 30), 'UTC')).toBe('2026-03-28');
  });

  it('finds local midnight on both sides of the spring change (Berlin, 29 March 2026)', () => {
    expect(dayStart('2026-03-29', 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 28, 23, 0)); // CET midnight
    expect(dayStart('2026-03-30', 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 22, 0)); // CEST midnight
    // the day of the change has 23 hours
    expect(dayStart('2026-03-30', 'Europe/Berlin') - dayStart('2026-03-29', 'Europe/Berlin')).toBe(23 * 3_600_000);
  });

  it('buckets weeks from Monday and months from the first', () => {
    expect(bucketOf('2026-03-29', 'week')).toBe('2026-03-23'); // a Sunday belongs to the week of Monday 23rd
    expect(bucketOf('2026-03-30', 'week')).toBe('2026-03-30');
    expect(bucketOf('2026-03-29', 'month')).toBe('2026-03-01');
    expect(bucketsBetween('2026-02-27', '2026-03-02', 'day')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(bucketsBetween('2026-01-15', '2026-03-02', 'month')).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
  });

  it('accepts IANA names and refuses others', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('America/Argentina/Buenos_Aires')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { availability } from './business-hours.ts';

// Wednesday 2026-01-07
const at = (iso: string) => Date.parse(iso);

describe('business hours', () => {
  const weekdays = { timezone: 'Europe/Berlin', days: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' })) };

  it('no hours set means someone is around', () => {
    expect(availability(null, Date.now())).toEqual({ humansAvailable: true, humansBackAt: null });
  });

  it('is open inside the hours in the site time zone', () => {
    // 08:30 UTC is 09:30 in Berlin (winter)
    expect(availability(weekdays, at('2026-01-07T08:30:00Z')).humansAvailable).toBe(true);
    expect(availability(weekdays, at('2026-01-07T16:30:00Z')).humansAvailable).toBe(false);
  });

  it('after hours on Friday, the next opening is Monday 09:00 local', () => {
    expect(availability(weekdays, at('2026-01-09T18:00:00Z'))).toEqual({ humansAvailable: false, humansBackAt: at('2026-01-12T08:00:00Z') });
  });

  it('overnight windows run past midnight', () => {
    const night = { timezone: 'UTC', days: [{ day: 3, open: '22:00', close: '02:00' }] };
    expect(availability(night, at('2026-01-08T01:00:00Z')).humansAvailable).toBe(true);
    expect(availability(night, at('2026-01-08T03:00:00Z')).humansBackAt).toBe(at('2026-01-14T22:00:00Z'));
  });
});

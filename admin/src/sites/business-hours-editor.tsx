import type { SiteSettings } from '../api/types.ts';

type Hours = NonNullable<SiteSettings['businessHours']>;
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const WEEKDAYS: Hours['days'] = [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' }));

/** When a person can answer; outside these hours the widget says when someone is back. */
export function BusinessHoursEditor({ value, onChange }: { value: Hours | null; onChange: (next: Hours | null) => void }) {
  if (!value) {
    return (
      <div>
        <p class="muted">Always available: the widget offers a person at any time.</p>
        <button type="button" class="button" onClick={() => onChange({ timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', days: WEEKDAYS })}>
          Set business hours
        </button>
      </div>
    );
  }
  const dayOf = (d: number) => value.days.find((x) => x.day === d);
  const setDay = (d: number, entry: { open: string; close: string } | null) => {
    const others = value.days.filter((x) => x.day !== d);
    onChange({ ...value, days: entry ? [...others, { day: d, ...entry }].sort((a, b) => a.day - b.day) : others });
  };
  return (
    <div class="hours">
      <label class="field compact">
        <span>Time zone</span>
        <input value={value.timezone} onInput={(e) => onChange({ ...value, timezone: e.currentTarget.value })} />
      </label>
      <table class="hours-table">
        <tbody>
          {DAYS.map((name, d) => {
            const entry = dayOf(d);
            return (
              <tr key={d}>
                <th scope="row">
                  <label>
                    <input type="checkbox" checked={!!entry} onChange={(e) => setDay(d, e.currentTarget.checked ? { open: '09:00', close: '17:00' } : null)} /> {name}
                  </label>
                </th>
                <td>
                  {entry ? (
                    <>
                      <input type="time" aria-label={`${name} opens`} value={entry.open} onChange={(e) => setDay(d, { ...entry, open: e.currentTarget.value })} />
                      <span aria-hidden="true"> – </span>
                      <input type="time" aria-label={`${name} closes`} value={entry.close} onChange={(e) => setDay(d, { ...entry, close: e.currentTarget.value })} />
                    </>
                  ) : (
                    <span class="muted">Closed</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button type="button" class="button link" onClick={() => onChange(null)}>
        Remove business hours
      </button>
    </div>
  );
}

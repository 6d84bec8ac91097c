import { Granularity, InsightLang, type InsightFilters } from '../../../shared/insights.ts';
import type { AdminSite } from '../api/types.ts';

export interface OverviewFilterState extends InsightFilters {
  granularity: Granularity;
  /** days back from today, or 0 for the custom from/to */
  preset: number;
}

const PRESETS: readonly [number, string][] = [
  [7, 'Last 7 days'],
  [28, 'Last 28 days'],
  [90, 'Last 90 days'],
  [365, 'Last 12 months'],
  [0, 'Custom'],
];
const SOURCES = ['widget', 'api', 'import', 'feed', 'webhook'];
const LANGS: readonly [string, string][] = [
  ['en', 'English'],
  ['de', 'German'],
  ['fr', 'French'],
  ['es', 'Spanish'],
];

interface Props {
  value: OverviewFilterState;
  sites: AdminSite[];
  flowIds: string[];
  onChange: (next: OverviewFilterState) => void;
}

const pick = (v: string) => (v === '' ? undefined : v);

/** The overview's filters: the same dimensions as the transcript list (site, flow, source, period, language, tag). */
export function OverviewFilters({ value, sites, flowIds, onChange }: Props) {
  const set = (patch: Partial<OverviewFilterState>) => onChange({ ...value, ...patch });
  return (
    <section class="filters overview-filters" aria-label="Overview filters">
      <div class="filter-grid">
        <label class="field compact">
          <span>Site</span>
          <select value={value.siteId ?? ''} onChange={(e) => set({ siteId: pick(e.currentTarget.value), flowId: undefined })}>
            <option value="">All sites</option>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label class="field compact">
          <span>Flow</span>
          <select value={value.flowId ?? ''} onChange={(e) => set({ flowId: pick(e.currentTarget.value) })}>
            <option value="">All flows</option>
            {flowIds.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        <label class="field compact">
          <span>Source</span>
          <select value={value.source ?? ''} onChange={(e) => set({ source: pick(e.currentTarget.value) })}>
            <option value="">Any</option>
            {SOURCES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label class="field compact">
          <span>Language</span>
          <select
            value={value.lang ?? ''}
            onChange={(e) => {
              const r = InsightLang.safeParse(e.currentTarget.value);
              set({ lang: r.success ? r.data : undefined });
            }}
          >
            <option value="">Any</option>
            {LANGS.map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label class="field compact">
          <span>Tag</span>
          <input placeholder="any" value={value.tag ?? ''} onChange={(e) => set({ tag: pick(e.currentTarget.value.trim().toLowerCase()) })} />
        </label>
        <label class="field compact">
          <span>Period</span>
          <select value={String(value.preset)} onChange={(e) => set({ preset: Number(e.currentTarget.value) })}>
            {PRESETS.map(([days, name]) => (
              <option key={days} value={String(days)}>
                {name}
              </option>
            ))}
          </select>
        </label>
        {value.preset === 0 && (
          <>
            <label class="field compact">
              <span>From</span>
              <input type="date" value={value.from ?? ''} onChange={(e) => set({ from: pick(e.currentTarget.value) })} />
            </label>
            <label class="field compact">
              <span>To</span>
              <input type="date" value={value.to ?? ''} onChange={(e) => set({ to: pick(e.currentTarget.value) })} />
            </label>
          </>
        )}
        <label class="field compact">
          <span>Group by</span>
          <select
            value={value.granularity}
            onChange={(e) => {
              const r = Granularity.safeParse(e.currentTarget.value);
              if (r.success) set({ granularity: r.data });
            }}
          >
            <option value="day">Day</option>
            <option value="week">Week</option>
            <option value="month">Month</option>
          </select>
        </label>
      </div>
    </section>
  );
}

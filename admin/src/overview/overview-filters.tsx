import { Granularity, InsightLang, type InsightFilters } from '../../../shared/insights.ts';
import type { AdminSite } from '../api/types.ts';
import { LANGUAGE_OPTIONS, optionsOf, SelectField, SOURCE_OPTIONS } from '../ui/select-field.tsx';

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
        <SelectField label="Site" anyLabel="All sites" value={value.siteId} options={sites.map((x) => ({ value: x.id, label: x.name }))} onChange={(siteId) => set({ siteId, flowId: undefined })} />
        <SelectField label="Flow" anyLabel="All flows" value={value.flowId} options={optionsOf(flowIds)} onChange={(flowId) => set({ flowId })} />
        <SelectField label="Source" anyLabel="Any" value={value.source} options={SOURCE_OPTIONS} onChange={(source) => set({ source })} />
        <SelectField label="Language" anyLabel="Any" value={value.lang} options={LANGUAGE_OPTIONS} onChange={(v) => set({ lang: InsightLang.safeParse(v).data })} />
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

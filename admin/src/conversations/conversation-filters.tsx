import { useState } from 'preact/hooks';
import { FollowUpStatus } from '../../../shared/admin-api.ts';
import { ConversationStatus } from '../../../shared/conversation.ts';
import { NpsCategory, SentimentLabel } from '../../../shared/extraction.ts';
import { InsightLang as LangSchema } from '../../../shared/insights.ts';
import type { AdminSite, ConversationFilters } from '../api/types.ts';
import { fromDateInput, toDateInput } from '../ui/format.ts';

interface Props {
  value: ConversationFilters;
  sites: AdminSite[];
  flowIds: string[];
  onChange: (next: ConversationFilters) => void;
}

const SOURCES = ['widget', 'api', 'import', 'feed', 'webhook'];
const LANGS: readonly [string, string][] = [
  ['en', 'English'],
  ['de', 'German'],
  ['fr', 'French'],
  ['es', 'Spanish'],
];

function numberOrUndefined(v: string): number | undefined {
  if (v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** '' means "any": the select's empty option removes the filter */
function pick(v: string): string | undefined {
  return v === '' ? undefined : v;
}

/** a select's value checked against the enum it offers; anything else removes the filter */
function pickEnum<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, v: string): T | undefined {
  const r = schema.safeParse(v);
  return r.success ? r.data : undefined;
}

export function ConversationFiltersBar({ value, sites, flowIds, onChange }: Props) {
  const [search, setSearch] = useState(value.q ?? '');
  const set = (patch: Partial<ConversationFilters>) => onChange({ ...value, ...patch });
  const site = sites.find((s) => s.id === value.siteId);
  const topics = Array.from(new Set((site ? [site] : sites).flatMap((s) => s.settings.topics.map((t) => t.name)))).sort();
  const followUpValue = value.followUpNeeded ? 'needed' : (value.followUpStatus ?? '');
  const active = Object.values(value).filter((v) => v !== undefined && v !== '').length;

  return (
    <section class="filters" aria-label="Filters">
      <form
        class="search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          set({ q: search.trim() || undefined });
        }}
      >
        <input
          type="search"
          aria-label="Search transcripts"
          placeholder="Search what customers said…"
          value={search}
          onInput={(e) => setSearch(e.currentTarget.value)}
        />
        <button class="button" type="submit">
          Search
        </button>
      </form>
      <div class="filter-grid">
        <label class="field compact">
          <span>Site</span>
          <select value={value.siteId ?? ''} onChange={(e) => set({ siteId: pick(e.currentTarget.value), flowId: undefined, topic: undefined })}>
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
          <span>Status</span>
          <select value={value.status ?? ''} onChange={(e) => set({ status: pickEnum(ConversationStatus, e.currentTarget.value) })}>
            <option value="">Any</option>
            <option value="open">Live</option>
            <option value="ended">Ended</option>
          </select>
        </label>
        <label class="field compact">
          <span>From</span>
          <input type="date" value={toDateInput(value.from)} onChange={(e) => set({ from: fromDateInput(e.currentTarget.value) })} />
        </label>
        <label class="field compact">
          <span>To</span>
          <input type="date" value={toDateInput(value.to)} onChange={(e) => set({ to: fromDateInput(e.currentTarget.value, true) })} />
        </label>
        <div class="field compact">
          <span id="rating-range-label">Rating</span>
          <div class="range" role="group" aria-labelledby="rating-range-label">
            <input type="number" aria-label="Minimum rating" min={0} max={10} placeholder="min" value={value.ratingMin ?? ''} onChange={(e) => set({ ratingMin: numberOrUndefined(e.currentTarget.value) })} />
            <span aria-hidden="true">–</span>
            <input type="number" aria-label="Maximum rating" min={0} max={10} placeholder="max" value={value.ratingMax ?? ''} onChange={(e) => set({ ratingMax: numberOrUndefined(e.currentTarget.value) })} />
          </div>
        </div>
        <label class="field compact">
          <span>NPS category</span>
          <select value={value.nps ?? ''} onChange={(e) => set({ nps: pickEnum(NpsCategory, e.currentTarget.value) })}>
            <option value="">Any</option>
            <option value="promoter">Promoters (9–10)</option>
            <option value="passive">Passives (7–8)</option>
            <option value="detractor">Detractors (0–6)</option>
          </select>
        </label>
        <label class="field compact">
          <span>Sentiment</span>
          <select value={value.sentiment ?? ''} onChange={(e) => set({ sentiment: pickEnum(SentimentLabel, e.currentTarget.value) })}>
            <option value="">Any</option>
            <option value="positive">Positive</option>
            <option value="neutral">Neutral</option>
            <option value="negative">Negative</option>
          </select>
        </label>
        <label class="field compact">
          <span>Topic</span>
          <select value={value.topic ?? ''} onChange={(e) => set({ topic: pick(e.currentTarget.value) })}>
            <option value="">Any</option>
            {topics.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label class="field compact">
          <span>Follow-up</span>
          <select
            value={followUpValue}
            onChange={(e) => {
              const v = e.currentTarget.value;
              if (v === 'needed') set({ followUpNeeded: true, followUpStatus: undefined });
              else set({ followUpNeeded: undefined, followUpStatus: pickEnum(FollowUpStatus, v) });
            }}
          >
            <option value="">Any</option>
            <option value="needed">Needed</option>
            <option value="open">Open</option>
            <option value="assigned">Assigned</option>
            <option value="done">Done</option>
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
          <select value={value.lang ?? ''} onChange={(e) => set({ lang: pickEnum(LangSchema, e.currentTarget.value) })}>
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
          <span>Visitor email</span>
          <input type="email" placeholder="any" value={value.visitorEmail ?? ''} onChange={(e) => set({ visitorEmail: pick(e.currentTarget.value.trim()) })} />
        </label>
      </div>
      {active > 0 && (
        <button
          type="button"
          class="button link"
          onClick={() => {
            setSearch('');
            onChange({});
          }}
        >
          Clear {active} filter{active === 1 ? '' : 's'}
        </button>
      )}
    </section>
  );
}

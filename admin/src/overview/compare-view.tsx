import { useState } from 'preact/hooks';
import type { Comparison, CompareMetric, Interval, ResolvedFilters } from '../../../shared/insights.ts';
import { addDays, daysBetween } from '../../../shared/zoned-time.ts';
import type { AdminSite } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { useAction } from '../ui/use-action.ts';
import { DataTable } from './data-table.tsx';

type Dimension = 'period' | 'flow' | 'site' | 'source';
const SOURCES = ['widget', 'api', 'import', 'feed', 'webhook'];

const fmt = (m: CompareMetric, v: number | null) => (v === null ? '–' : m.unit === 'percent' ? `${v.toFixed(1)}%` : m.unit === 'mean' ? v.toFixed(2) : v.toFixed(1));
const ci = (m: CompareMetric, i: Interval | null) => (i ? `${fmt(m, i.low)} to ${fmt(m, i.high)}` : '');
const signed = (m: CompareMetric, v: number | null) => (v === null ? '–' : `${v > 0 ? '+' : ''}${v.toFixed(m.unit === 'mean' ? 2 : 1)}${m.unit === 'percent' ? ' pts' : ''}`);

interface Props {
  base: ResolvedFilters;
  sites: AdminSite[];
  flowIds: string[];
}

/** Two segments side by side with deltas and 95% intervals; "not significant" where the interval holds 0. */
export function CompareView({ base, sites, flowIds }: Props) {
  const { api } = useApp();
  const [dim, setDim] = useState<Dimension>('period');
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const [result, setResult] = useState<Comparison | null>(null);
  const { error, run } = useAction();
  const options = dim === 'flow' ? flowIds.map((id) => [id, id]) : dim === 'site' ? sites.map((s) => [s.id, s.name]) : dim === 'source' ? SOURCES.map((s) => [s, s]) : [];

  const compare = (e: Event) => {
    e.preventDefault();
    const len = daysBetween(base.from, base.to) + 1;
    const seg = (v: string): ResolvedFilters => (dim === 'flow' ? { ...base, flowId: v } : dim === 'site' ? { ...base, siteId: v, flowId: undefined } : { ...base, source: v });
    const body =
      dim === 'period'
        ? { a: { ...base, from: addDays(base.from, -len), to: addDays(base.from, -1) }, b: base, labelA: 'Previous period', labelB: 'This period' }
        : { a: seg(a), b: seg(b), labelA: options.find(([v]) => v === a)?.[1] ?? a, labelB: options.find(([v]) => v === b)?.[1] ?? b };
    void run(async () => setResult((await api.insightsCompare(body)).comparison));
  };

  return (
    <section class="card" aria-labelledby="compare-title">
      <h2 id="compare-title">Compare two segments</h2>
      <form class="compare-form" onSubmit={compare}>
        <label class="field compact">
          <span>Compare</span>
          <select value={dim} onChange={(e) => (setDim(e.currentTarget.value as Dimension), setA(''), setB(''), setResult(null))}>
            <option value="period">This period vs the previous one</option>
            <option value="flow">Flow A vs flow B</option>
            <option value="site">Site A vs site B</option>
            <option value="source">Source A vs source B</option>
          </select>
        </label>
        {dim !== 'period' && (
          <>
            <label class="field compact">
              <span>Segment A</span>
              <select required value={a} onChange={(e) => setA(e.currentTarget.value)}>
                <option value="">Choose…</option>
                {options.map(([v, name]) => (
                  <option key={v} value={v}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
            <label class="field compact">
              <span>Segment B</span>
              <select required value={b} onChange={(e) => setB(e.currentTarget.value)}>
                <option value="">Choose…</option>
                {options.map(([v, name]) => (
                  <option key={v} value={v}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        <button class="button primary" type="submit">
          Compare
        </button>
      </form>
      <ErrorBanner error={error} />
      {result && (
        <>
          <p class="muted small">
            A: {result.a.label} ({result.a.responses} conversations) · B: {result.b.label} ({result.b.responses} conversations). Δ = B − A with its 95% interval.
          </p>
          <DataTable
            open
            caption="Comparison of the two segments"
            head={['Measure', 'A', 'A 95% interval', 'B', 'B 95% interval', 'Δ (B − A)', 'Δ 95% interval', 'Significant']}
            rows={result.metrics.map((m) => [
              <span title={m.method}>{m.label}</span>,
              `${fmt(m, m.a.value)} (n ${m.a.n})`,
              ci(m, m.a.ci),
              `${fmt(m, m.b.value)} (n ${m.b.n})`,
              ci(m, m.b.ci),
              <strong>{signed(m, m.delta)}</strong>,
              ci(m, m.deltaCi),
              m.delta === null ? '–' : m.significant ? <span class="badge ok">significant</span> : <span class="badge muted-badge">not significant</span>,
            ])}
            csv={result.metrics.map((m) => [m.metric, m.a.value, m.a.n, m.a.ci?.low ?? null, m.a.ci?.high ?? null, m.b.value, m.b.n, m.b.ci?.low ?? null, m.b.ci?.high ?? null, m.delta, m.deltaCi?.low ?? null, m.deltaCi?.high ?? null, m.significant ? 'yes' : 'no'])}
            fileName="comparison.csv"
          />
          {result.topics.length > 0 && (
            <DataTable
              caption="Topic shares in the two segments"
              head={['Topic', 'A share', 'B share', 'Δ points', 'Δ 95% interval', 'Significant']}
              rows={result.topics.map((t) => [t.name, `${t.aShare}%`, `${t.bShare}%`, `${t.delta > 0 ? '+' : ''}${t.delta}`, `${t.deltaCi.low} to ${t.deltaCi.high}`, t.significant ? 'significant' : 'not significant'])}
              csv={result.topics.map((t) => [t.name, t.aShare, t.bShare, t.delta, t.deltaCi.low, t.deltaCi.high, t.significant ? 'yes' : 'no'])}
              fileName="comparison-topics.csv"
            />
          )}
          <p class="muted small">{result.metrics[0]?.method}. Percentages: {result.metrics[1]?.method}.</p>
        </>
      )}
    </section>
  );
}

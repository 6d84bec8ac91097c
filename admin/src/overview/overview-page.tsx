import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Dashboard, EmergingResult, InsightFilters } from '../../../shared/insights.ts';
import { addDays, localDay } from '../../../shared/zoned-time.ts';
import type { AdminSite } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { CompareView } from './compare-view.tsx';
import { DashboardView } from './dashboard-view.tsx';
import { EmergingView } from './emerging-view.tsx';
import { OverviewFilters, type OverviewFilterState } from './overview-filters.tsx';
import { ReportView } from './report-view.tsx';

// the overview's filters survive a visit to the transcripts and back
let lastFilters: OverviewFilterState = { granularity: 'day', preset: 28 };

/** the filters with a concrete period: presets count back from today in the site's time zone */
export function periodOf(f: OverviewFilterState, sites: AdminSite[], now = Date.now()): InsightFilters {
  const { granularity: _g, preset, ...rest } = f;
  if (preset === 0) return rest;
  const tz = sites.find((s) => s.id === f.siteId)?.settings.timeZone ?? 'UTC';
  const to = localDay(now, tz);
  return { ...rest, from: addDays(to, -(preset - 1)), to };
}

/** The admin's first screen: how customers feel over time, what is new, how segments compare. */
export function OverviewPage() {
  const { api } = useApp();
  const [filters, setFiltersState] = useState<OverviewFilterState>(lastFilters);
  const [sites, setSites] = useState<AdminSite[] | null>(null);
  const [flowIds, setFlowIds] = useState<string[]>([]);
  const [dashboard, setDashboard] = useState<Dashboard | null>(null);
  const [emerging, setEmerging] = useState<EmergingResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);

  const setFilters = (next: OverviewFilterState) => {
    lastFilters = next;
    setFiltersState(next);
  };

  useEffect(() => {
    api.listSites().then(
      (r) => setSites(r.sites),
      () => setSites([]),
    );
  }, [api]);

  useEffect(() => {
    if (!sites) return;
    const targets = filters.siteId ? sites.filter((s) => s.id === filters.siteId) : sites;
    Promise.all(targets.map((s) => api.listFlows(s.id).then((r) => r.flows.map((f) => f.id), () => [])))
      .then((lists) => setFlowIds(Array.from(new Set(lists.flat())).sort()))
      .catch(() => setFlowIds([]));
  }, [api, sites, filters.siteId]);

  const query = useMemo(() => (sites ? periodOf(filters, sites) : null), [filters, sites]);

  useEffect(() => {
    if (!query) return;
    let stale = false;
    setLoading(true);
    setError(null);
    Promise.all([
      api.insightsDashboard({ ...query, granularity: filters.granularity }),
      api.insightsEmerging({ ...(({ from: _f, ...q }) => q)(query), windowDays: 7, baselineDays: 28 }),
    ]).then(
      ([d, e]) => {
        if (stale) return;
        setDashboard(d.dashboard);
        setEmerging(e.emerging);
        setLoading(false);
      },
      (err: unknown) => {
        if (stale) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => {
      stale = true;
    };
  }, [api, query, filters.granularity]);

  return (
    <div class="page overview">
      <header class="page-header">
        <div>
          <h1>Overview</h1>
          <p class="muted">How customers feel over time, what is new, where expectations are missed, and how segments compare.</p>
        </div>
      </header>
      <OverviewFilters value={filters} sites={sites ?? []} flowIds={flowIds} onChange={setFilters} />
      <ErrorBanner error={error} />
      {loading && !dashboard && <p class="empty" aria-busy="true">Loading…</p>}
      {dashboard && (
        <div aria-busy={loading}>
          {dashboard.totals.responses === 0 && <p class="card empty">No analysed conversations match these filters in this period yet.</p>}
          <DashboardView d={dashboard} />
          {emerging && <EmergingView e={emerging} filters={dashboard.filters} timeZone={dashboard.timeZone} />}
          <CompareView base={dashboard.filters} sites={sites ?? []} flowIds={flowIds} />
          <ReportView filters={dashboard.filters} />
        </div>
      )}
    </div>
  );
}

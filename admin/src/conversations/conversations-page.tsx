import { useEffect, useMemo, useState } from 'preact/hooks';
import type { AdminSite, ConversationFilters } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { ConversationFiltersBar } from './conversation-filters.tsx';
import { ConversationRow } from './conversation-row.tsx';
import { ExportLinks } from './export-links.tsx';
import { useConversationList } from './use-conversation-list.ts';

// filters survive a visit to a transcript and back
let lastFilters: ConversationFilters = {};

/** `initialFilters`: from the URL (a chart's link to its transcripts); they replace the remembered ones */
export function ConversationsPage({ initialFilters }: { initialFilters?: ConversationFilters | undefined } = {}) {
  const { api, live } = useApp();
  const [filters, setFiltersState] = useState<ConversationFilters>(() => {
    if (initialFilters) lastFilters = initialFilters;
    return lastFilters;
  });
  const [sites, setSites] = useState<AdminSite[]>([]);
  const [flowIds, setFlowIds] = useState<string[]>([]);
  const siteIds = useMemo(() => (filters.siteId ? [filters.siteId] : sites.map((s) => s.id)), [sites, filters.siteId]);
  const list = useConversationList(api, live, filters, siteIds);

  const setFilters = (next: ConversationFilters) => {
    lastFilters = next;
    setFiltersState(next);
  };

  useEffect(() => {
    api.listSites().then((r) => setSites(r.sites), () => setSites([]));
  }, [api]);

  useEffect(() => {
    const targets = filters.siteId ? sites.filter((s) => s.id === filters.siteId) : sites;
    Promise.all(targets.map((s) => api.listFlows(s.id).then((r) => r.flows.map((f) => f.id), () => [])))
      .then((lists) => setFlowIds(Array.from(new Set(lists.flat())).sort()))
      .catch(() => setFlowIds([]));
  }, [api, sites, filters.siteId]);

  return (
    <div class="page">
      <header class="page-header">
        <div>
          <h1>Conversations</h1>
          <p class="muted">Every survey and support chat, newest first. Live ones update as they happen.</p>
        </div>
        <ExportLinks filters={filters} />
      </header>
      <ConversationFiltersBar value={filters} sites={sites} flowIds={flowIds} onChange={setFilters} />
      <ErrorBanner error={list.error} />
      <div class="card table-card">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Visitor</th>
              <th scope="col">Flow</th>
              <th scope="col">Status</th>
              <th scope="col">Rating</th>
              <th scope="col">Analysis</th>
              <th scope="col">Topics</th>
              <th scope="col">Follow-up</th>
              <th scope="col">Last activity</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((c) => (
              <ConversationRow key={c.id} c={c} siteName={sites.find((s) => s.id === c.siteId)?.name ?? ''} />
            ))}
          </tbody>
        </table>
        {!list.loading && list.items.length === 0 && !list.error && (
          <p class="empty">No conversations match these filters yet.</p>
        )}
        {list.loading && <p class="empty">Loading…</p>}
      </div>
      {list.nextCursor && !list.loading && (
        <div class="load-more">
          <button class="button" type="button" onClick={list.loadMore}>
            Load more
          </button>
        </div>
      )}
    </div>
  );
}

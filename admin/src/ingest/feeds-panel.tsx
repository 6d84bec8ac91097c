import { useEffect, useState } from 'preact/hooks';
import type { FeedView } from '../../../shared/feedback.ts';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { formatDateTime } from '../ui/format.ts';
import { useAction } from '../ui/use-action.ts';

const keywordsOf = (text: string) =>
  text
    .split(/[,\n]/)
    .map((k) => k.trim())
    .filter(Boolean);

function FeedRow({ feed, onChanged, onRemoved }: { feed: FeedView; onChanged: (f: FeedView) => void; onRemoved: () => void }) {
  const { api, user } = useApp();
  const action = useAction();
  const owner = user?.role === 'owner';
  return (
    <tr>
      <td>
        <span class="cell-main">{feed.name}</span>
        <span class="cell-sub">{feed.url}</span>
        {feed.keywords.length > 0 && <span class="cell-sub">Mentions any of: {feed.keywords.join(', ')}</span>}
      </td>
      <td>
        {!feed.enabled ? (
          <span class="cell-main muted">Paused</span>
        ) : feed.failures > 0 ? (
          <span class="cell-main error-text">Failing ({feed.failures}×)</span>
        ) : feed.lastSuccessAt ? (
          <span class="cell-main">OK</span>
        ) : (
          <span class="cell-main muted">Not polled yet</span>
        )}
        <span class="cell-sub">Every {feed.intervalMinutes} min</span>
      </td>
      <td class="nowrap">{feed.lastSuccessAt ? formatDateTime(feed.lastSuccessAt) : <span class="muted">never</span>}</td>
      <td>
        {feed.lastError ? (
          <>
            <span class="error-text">{feed.lastError}</span>
            {feed.lastErrorAt && <span class="cell-sub">{formatDateTime(feed.lastErrorAt)}</span>}
          </>
        ) : (
          <span class="muted">—</span>
        )}
      </td>
      <td class="nowrap">{feed.enabled && feed.nextPollAt ? formatDateTime(feed.nextPollAt) : <span class="muted">—</span>}</td>
      <td>{feed.itemsTotal}</td>
      <td>
        {owner && (
          <div class="button-row">
            <button type="button" class="button" aria-label={`Poll ${feed.name} now`} onClick={() => action.run(async () => onChanged((await api.ingest.pollFeed(feed.id)).feed))}>
              Poll now
            </button>
            <button
              type="button"
              class="button"
              aria-label={`${feed.enabled ? 'Pause' : 'Resume'} ${feed.name}`}
              onClick={() => action.run(async () => onChanged((await api.ingest.updateFeed(feed.id, { enabled: !feed.enabled })).feed))}
            >
              {feed.enabled ? 'Pause' : 'Resume'}
            </button>
            <button
              type="button"
              class="button danger"
              aria-label={`Remove ${feed.name}`}
              onClick={() =>
                confirm(`Stop polling ${feed.name}? Items already taken stay.`) &&
                action.run(async () => {
                  await api.ingest.deleteFeed(feed.id);
                  onRemoved();
                })
              }
            >
              Remove
            </button>
          </div>
        )}
        <ErrorBanner error={action.error} />
      </td>
    </tr>
  );
}

/** RSS and Atom feeds polled on a schedule: their health, last error and items taken. */
export function FeedsPanel({ siteId }: { siteId: string }) {
  const { api, user } = useApp();
  const [feeds, setFeeds] = useState<FeedView[] | null>(null);
  const load = useAction();
  const add = useAction();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [keywords, setKeywords] = useState('');
  const [interval, setIntervalMinutes] = useState(30);

  useEffect(() => {
    setFeeds(null);
    void load.run(async () => setFeeds((await api.ingest.listFeeds(siteId)).feeds));
  }, [api, siteId]);

  const submit = (e: Event) => {
    e.preventDefault();
    void add.run(async () => {
      const { feed } = await api.ingest.createFeed({ siteId, name: name.trim(), url: url.trim(), keywords: keywordsOf(keywords), intervalMinutes: interval });
      setFeeds([...(feeds ?? []), feed]);
      setName('');
      setUrl('');
      setKeywords('');
    });
  };
  const replace = (f: FeedView) => setFeeds((feeds ?? []).map((x) => (x.id === f.id ? f : x)));

  return (
    <div class="stack">
      <ErrorBanner error={load.error} />
      <section class="card table-card">
        <table class="table" aria-label="Feeds">
          <thead>
            <tr>
              <th scope="col">Feed</th>
              <th scope="col">Status</th>
              <th scope="col">Last success</th>
              <th scope="col">Last error</th>
              <th scope="col">Next poll</th>
              <th scope="col">Items</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(feeds ?? []).map((f) => (
              <FeedRow key={f.id} feed={f} onChanged={replace} onRemoved={() => setFeeds((feeds ?? []).filter((x) => x.id !== f.id))} />
            ))}
          </tbody>
        </table>
        {feeds && feeds.length === 0 && <p class="empty">No feeds yet. Review sites, forums and social platforms often publish RSS or Atom.</p>}
        {!feeds && !load.error && <p class="empty">Loading…</p>}
      </section>
      {user?.role === 'owner' && (
        <form class="card panel" onSubmit={submit} aria-label="Add a feed">
          <h3>Add a feed</h3>
          <label class="field">
            <span>Name</span>
            <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>Feed URL (RSS or Atom)</span>
            <input required type="url" value={url} onInput={(e) => setUrl(e.currentTarget.value)} placeholder="https://…/feed.xml" />
          </label>
          <label class="field">
            <span>Keywords (any of, comma separated; empty takes every item)</span>
            <input value={keywords} onInput={(e) => setKeywords(e.currentTarget.value)} placeholder="acme, acme app" />
          </label>
          <label class="field compact">
            <span>Poll every (minutes)</span>
            <input type="number" min={5} max={1440} value={interval} onInput={(e) => setIntervalMinutes(Number(e.currentTarget.value) || 30)} />
          </label>
          <ErrorBanner error={add.error} />
          <button type="submit" class="button primary">
            Add feed
          </button>
        </form>
      )}
    </div>
  );
}

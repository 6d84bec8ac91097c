/**
 * RSS 2.0 and Atom feeds polled through the job queue. Each feed has one live chain of
 * `feed_poll` jobs: a poll enqueues the next one at the feed's next_poll_at (its interval, or a
 * back-off after failures). Conditional GET (ETag / Last-Modified) makes an unchanged feed cost
 * a 304; items are taken once (deduped by guid, else link), filtered by keywords (any-of), and
 * their HTML becomes plain text.
 */
import { createHash, randomBytes } from 'node:crypto';
import { parseFeed } from '@rowanmanning/feed-parser';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import type { FeedCreateBody, FeedUpdateBody, FeedView } from '../../shared/feedback.ts';
import { INGEST_LIMITS } from '../../shared/feedback.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/index.ts';
import type { FeedRecord } from '../store/ingest.ts';
import { htmlToText } from './html-text.ts';
import type { IngestService, ItemDraft } from './items.ts';
import { FetchError, guardedGet } from './safe-fetch.ts';
import { parseHttpUrl, isPrivateAddress, UrlRefused } from '../net/url-guard.ts';

export const FEED_JOB = 'feed_poll';
export const ALLOW_PRIVATE_SETTING = 'allow_private_feed_urls';
const FeedJobPayload = z.object({ feedId: z.string().min(1), chain: z.string().min(1) });
/** the longest wait between polls of a failing feed */
const MAX_BACKOFF_MS = 24 * 60 * 60_000;

export interface FeedServiceOptions {
  store: Store;
  items: IngestService;
  log: Logger;
  /** config: private/loopback feed URLs allowed (also the store setting allow_private_feed_urls) */
  allowPrivate?: boolean;
  wake?: () => void;
  timeoutMs?: number;
}

const publicView = ({ chain: _c, etag: _e, lastModified: _l, ...view }: FeedRecord): FeedView => view;

/** an item is taken when it mentions any keyword (case-insensitive); no keywords takes all */
export function matchesKeywords(text: string, keywords: string[]): boolean {
  if (keywords.length === 0) return true;
  const hay = text.toLocaleLowerCase();
  return keywords.some((k) => hay.includes(k.toLocaleLowerCase()));
}

/** the wait after `failures` failures in a row: the interval doubled each time, at most a day */
export function backoffMs(intervalMinutes: number, failures: number): number {
  return Math.min(MAX_BACKOFF_MS, intervalMinutes * 60_000 * 2 ** Math.min(failures, 10));
}

type ParsedItem = ReturnType<ReturnType<typeof parseFeed>['toJSON']>['items'][number];

function toDraft(feed: FeedRecord, item: ParsedItem, now: number): ItemDraft | null {
  const title = item.title ? htmlToText(item.title) : '';
  const body = htmlToText(item.content ?? item.description ?? '');
  const text = (title && body && !body.startsWith(title) ? `${title}\n\n${body}` : body || title).slice(0, INGEST_LIMITS.TEXT_MAX_CHARS);
  if (!text) return null;
  const url = item.url && /^https?:\/\//i.test(item.url) ? item.url.slice(0, 2000) : null;
  const externalId = (item.id ?? url ?? `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 40)}`).slice(0, 200);
  const at = Date.parse(item.published ?? item.updated ?? '');
  return {
    source: `feed:${feed.id}`,
    externalId,
    author: item.authors[0]?.name?.slice(0, 200) ?? null,
    text,
    url,
    createdAt: Number.isNaN(at) ? now : at,
    rating: null,
    metadata: { feed: feed.name, ...(title ? { title } : {}) },
  };
}

export function createFeedService(opts: FeedServiceOptions) {
  const { store } = opts;
  const feeds = store.ingest.feeds;
  const allowPrivate = async (): Promise<boolean> => opts.allowPrivate === true || (await store.ingest.settings.get(ALLOW_PRIVATE_SETTING)) === 'true';

  async function mustGet(id: string): Promise<FeedRecord> {
    const f = await feeds.get(id);
    if (!f) throw new AppError('not_found', 'No such feed.');
    return f;
  }

  async function checkUrl(url: string): Promise<void> {
    const privateOk = await allowPrivate();
    try {
      const u = parseHttpUrl(url);
      const host = u.hostname.replace(/^\[|\]$/g, '');
      if (!privateOk && (host === 'localhost' || (/^[\d.:a-f]+$/i.test(host) && isPrivateAddress(host)))) {
        throw new UrlRefused(`${host} is a private address`);
      }
    } catch (err) {
      if (err instanceof UrlRefused) throw new AppError('invalid_payload', `url: ${err.message}`);
      throw err;
    }
  }

  async function schedule(feed: FeedRecord, runAt: number): Promise<void> {
    await store.jobs.enqueue(FEED_JOB, { feedId: feed.id, chain: feed.chain }, { runAt, dedupeKey: `${FEED_JOB}:${feed.id}:${feed.chain}:${runAt}` });
  }

  /** fetch, parse, filter and take the items; records success or failure and the next poll time */
  async function poll(feed: FeedRecord, now = Date.now()): Promise<{ added: number; status: number | null; error: string | null }> {
    const fail = async (error: string, status: number | null) => {
      const failures = feed.failures + 1;
      await feeds.failure(feed.id, { error, status, nextPollAt: now + backoffMs(feed.intervalMinutes, failures) }, now);
      opts.log.warn({ feedId: feed.id, url: feed.url, error, failures }, 'feed poll failed');
      return { added: 0, status, error };
    };
    let res;
    try {
      res = await guardedGet(feed.url, { allowPrivate: await allowPrivate(), etag: feed.etag, lastModified: feed.lastModified, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) });
    } catch (err) {
      if (err instanceof UrlRefused || err instanceof FetchError) return fail(err.message, err instanceof FetchError ? err.status : null);
      return fail(err instanceof Error ? err.message : String(err), null);
    }
    const next = now + feed.intervalMinutes * 60_000;
    if (res.status === 304) {
      await feeds.success(feed.id, { etag: res.etag, lastModified: res.lastModified, status: 304, added: 0, nextPollAt: next }, now);
      return { added: 0, status: 304, error: null };
    }
    if (res.status < 200 || res.status >= 300) return fail(`HTTP ${res.status} from ${new URL(res.url).host}`, res.status);
    let parsed;
    try {
      parsed = parseFeed(res.body).toJSON();
    } catch (err) {
      return fail(`not an RSS or Atom feed: ${err instanceof Error ? err.message.slice(0, 200) : 'unreadable'}`, res.status);
    }
    const drafts: ItemDraft[] = [];
    for (const item of parsed.items) {
      const d = toDraft(feed, item, now);
      if (d && matchesKeywords(d.text, feed.keywords)) drafts.push(d);
    }
    // fetched and parsed outside; the items (dedupe check and insert) and the poll's record commit together
    const added = await store.tx(async () => {
      const outcomes = drafts.length ? await opts.items.ingestDrafts(feed.siteId, 'feed', drafts, { origin: `feed:${feed.id}`, now }) : [];
      const n = outcomes.filter((o) => o.status === 'created').length;
      await feeds.success(feed.id, { etag: res.etag, lastModified: res.lastModified, status: res.status, added: n, nextPollAt: next }, now);
      return n;
    });
    return { added, status: res.status, error: null };
  }

  return {
    async list(siteId: string | null): Promise<FeedView[]> {
      return (await feeds.list(siteId)).map(publicView);
    },
    async get(id: string): Promise<FeedView> {
      return publicView(await mustGet(id));
    },
    async create(body: z.output<typeof FeedCreateBody>): Promise<FeedView> {
      if (!(await store.sites.getById(body.siteId))) throw new AppError('not_found', 'No such site.');
      await checkUrl(body.url);
      // the duplicate check and the insert in one transaction: two concurrent creates cannot both pass
      const feed = await store.tx(async () => {
        if ((await feeds.list(body.siteId)).some((f) => f.url === body.url)) throw new AppError('conflict', 'This site already polls that feed.');
        const f = await feeds.create({ ...body, chain: randomBytes(6).toString('hex') });
        await schedule(f, f.createdAt);
        return f;
      });
      opts.wake?.();
      return publicView(feed);
    },
    async update(id: string, body: z.output<typeof FeedUpdateBody>): Promise<FeedView> {
      const cur = await mustGet(id);
      if (body.url !== undefined) await checkUrl(body.url);
      const urlChanged = body.url !== undefined && body.url !== cur.url;
      const restart = urlChanged || (body.enabled === true && !cur.enabled) || (body.intervalMinutes !== undefined && body.intervalMinutes !== cur.intervalMinutes);
      const now = Date.now();
      const next: FeedRecord = {
        ...cur,
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.url !== undefined ? { url: body.url } : {}),
        ...(body.keywords !== undefined ? { keywords: body.keywords } : {}),
        ...(body.intervalMinutes !== undefined ? { intervalMinutes: body.intervalMinutes } : {}),
        ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
        // a new chain: jobs of the old one stop when they run
        chain: restart ? randomBytes(6).toString('hex') : cur.chain,
        nextPollAt: restart ? now : cur.nextPollAt,
        etag: urlChanged ? null : cur.etag,
        lastModified: urlChanged ? null : cur.lastModified,
      };
      await store.tx(async () => {
        await feeds.update(next);
        if (restart && next.enabled) await schedule(next, now);
      });
      if (restart) opts.wake?.();
      return publicView(await mustGet(id));
    },
    async remove(id: string): Promise<void> {
      if (!(await feeds.remove(id))) throw new AppError('not_found', 'No such feed.');
    },
    /** poll now (the admin's button); the schedule goes on as before */
    async pollNow(id: string): Promise<FeedView> {
      await poll(await mustGet(id));
      return publicView(await mustGet(id));
    },
    poll,
    /** the `feed_poll` job: poll, then enqueue the chain's next poll */
    async handleJob(payload: unknown): Promise<void> {
      const p = FeedJobPayload.safeParse(payload);
      if (!p.success) return;
      const feed = await feeds.get(p.data.feedId);
      if (!feed || !feed.enabled || feed.chain !== p.data.chain) return;
      await poll(feed);
      // read and enqueue in one transaction: an update that starts a new chain meanwhile wins
      await store.tx(async () => {
        const after = await feeds.get(feed.id);
        if (after && after.enabled && after.chain === p.data.chain && after.nextPollAt !== null) await schedule(after, after.nextPollAt);
      });
    },
  };
}
export type FeedService = ReturnType<typeof createFeedService>;

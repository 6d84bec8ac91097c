import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { openDb } from '../store/db.ts';
import { createStore } from '../store/index.ts';
import { createFeedService } from './feeds.ts';
import { createIngestService } from './items.ts';

const RSS = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Forum</title><link>https://forum.example</link><description>posts</description>
<item><title>Acme parcel late</title><link>https://forum.example/t/1</link><guid isPermaLink="false">p-1</guid><description>Two weeks and still no parcel.</description></item>
<item><title>Acme support was quick</title><link>https://forum.example/t/2</link><guid isPermaLink="false">p-2</guid><description>Sorted in ten minutes.</description></item>
</channel></rss>`;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

/** a feed server that answers only when the test releases it */
async function heldFeed() {
  const waiting: ServerResponse[] = [];
  let arrived: () => void = () => {};
  const requested = new Promise<void>((resolve) => (arrived = resolve));
  const server = createServer((_req, res) => {
    waiting.push(res);
    arrived();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/rss.xml`,
    requested,
    release() {
      for (const res of waiting.splice(0)) res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS);
    },
  };
}

async function setup() {
  const db = openDb(':memory:');
  closers.push(async () => {
    db.close();
  });
  const store = createStore(db);
  const site = await store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: [] });
  const items = createIngestService({ feedback: store.feedback });
  const feeds = createFeedService({ store, items, log: createLogger('silent'), allowPrivate: true });
  return { store, site, feeds };
}

describe('feed service on the asynchronous store', () => {
  it('fetches outside any transaction: the store serves other calls while a feed is slow', async () => {
    const { store, site, feeds } = await setup();
    const upstream = await heldFeed();
    const feed = await feeds.create({ siteId: site.id, name: 'Forum', url: upstream.url, keywords: [], intervalMinutes: 30 });
    const polling = feeds.pollNow(feed.id);
    await upstream.requested;
    // the poll is waiting on the network; a store call (and a write) still goes through
    expect(store.inTx()).toBe(false);
    await store.ingest.settings.set('unrelated', 'x');
    expect(await store.feedback.count(site.id)).toBe(0);
    upstream.release();
    const after = await polling;
    expect(after).toMatchObject({ lastStatus: 200, itemsTotal: 2, failures: 0 });
    expect(await store.feedback.count(site.id)).toBe(2);
  });

  it('two concurrent creates of the same feed URL: one feed, the other is told it exists', async () => {
    const { store, site, feeds } = await setup();
    const body = { siteId: site.id, name: 'Forum', url: 'https://forum.example/rss.xml', keywords: [], intervalMinutes: 30 };
    const results = await Promise.allSettled([feeds.create(body), feeds.create(body)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected?.status === 'rejected' && rejected.reason).toMatchObject({ code: 'conflict' });
    expect(await feeds.list(site.id)).toHaveLength(1);
    // and exactly one poll chain was started
    expect((await store.jobs.listByStatus('pending')).filter((j) => j.kind === 'feed_poll')).toHaveLength(1);
  });
});

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationPage } from '../../shared/admin-api.ts';
import type { FeedView, ImportPreview } from '../../shared/feedback.ts';
import { hashPassword } from '../auth/password.ts';
import { backoffMs, matchesKeywords } from './feeds.ts';
import { htmlToText } from './html-text.ts';
import { guardedGet } from './safe-fetch.ts';
import { ingestKit, type IngestKit } from './test-kit.ts';
import { isPrivateAddress, UrlRefused } from '../net/url-guard.ts';

/** A feed server on 127.0.0.1 whose documents, validators and failures the test changes. */
interface FeedServer {
  base: string;
  requests: { path: string; headers: IncomingHttpHeaders }[];
  docs: Map<string, { body: string; type: string; etag?: string; lastModified?: string; status?: number }>;
  close(): Promise<void>;
}

async function feedServer(): Promise<FeedServer> {
  const requests: FeedServer['requests'] = [];
  const docs: FeedServer['docs'] = new Map();
  const server: Server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    const doc = docs.get(req.url ?? '');
    if (!doc) return void res.writeHead(404).end('not here');
    if (doc.status && doc.status >= 400) return void res.writeHead(doc.status, { 'content-type': 'text/plain' }).end('upstream is down');
    if (doc.etag && req.headers['if-none-match'] === doc.etag) return void res.writeHead(304, { etag: doc.etag }).end();
    if (doc.lastModified && req.headers['if-modified-since'] === doc.lastModified) return void res.writeHead(304).end();
    const headers: Record<string, string> = { 'content-type': doc.type };
    if (doc.etag) headers.etag = doc.etag;
    if (doc.lastModified) headers['last-modified'] = doc.lastModified;
    res.writeHead(200, headers).end(doc.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    docs,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const rssItem = (guid: string, title: string, html: string) =>
  `<item><title>${title}</title><link>https://forum.example/t/${guid}</link><guid isPermaLink="false">${guid}</guid>
   <description><![CDATA[${html}]]></description><pubDate>Tue, 10 Nov 2026 09:30:00 GMT</pubDate><author>kim@forum.example (Kim)</author></item>`;
const rss = (...items: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Forum</title><link>https://forum.example</link><description>posts</description>${items.join('')}</channel></rss>`;

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Reviews</title><id>urn:reviews</id><updated>2026-11-12T10:00:00Z</updated>
<entry><id>urn:review:501</id><title>Acme Kundenservice</title><link href="https://reviews.example/501"/><updated>2026-11-12T10:00:00Z</updated>
<author><name>Greta</name></author><content type="html">&lt;p&gt;Der Acme Support hat mein Problem in 10 Minuten gelöst &amp;amp; war freundlich.&lt;/p&gt;</content></entry>
<entry><id>urn:review:502</id><title>Other brand</title><link href="https://reviews.example/502"/><updated>2026-11-12T11:00:00Z</updated>
<author><name>Tom</name></author><summary>Nothing about us here, just a different shop.</summary></entry>
</feed>`;

let kit: IngestKit;
let feeds: FeedServer;
afterEach(async () => {
  await kit?.close();
  await feeds?.close();
});

const feedList = async () => (await kit.admin<{ feeds: FeedView[] }>('GET', `/ingest/feeds?siteId=${kit.site.id}`)).body.feeds;

describe('feed polling', () => {
  it('takes RSS 2.0 items once, filtered by keywords, as plain text; an unchanged ETag costs a 304', async () => {
    kit = await ingestKit();
    feeds = await feedServer();
    feeds.docs.set('/rss.xml', {
      type: 'application/rss+xml',
      etag: '"v1"',
      body: rss(
        rssItem('p-1', 'Acme app keeps logging me out', '<p>Since Tuesday the <b>Acme</b> app logs me out every 5 min &amp; I lose my cart.</p><script>alert(1)</script>'),
        rssItem('p-2', 'Best pizza in town?', '<p>Looking for tips, not about any brand.</p>'),
        rssItem('p-3', 'ACME delivery was early!', 'Parcel came a day early, well packed.'),
      ),
    });
    const created = await kit.admin<{ feed: FeedView }>('POST', '/ingest/feeds', { siteId: kit.site.id, name: 'Forum', url: `${feeds.base}/rss.xml`, keywords: ['acme'], intervalMinutes: 30 });
    expect(created.status).toBe(200);
    expect(await kit.runDueFeedPolls()).toBe(1);

    let [feed] = await feedList();
    expect(feed).toMatchObject({ lastStatus: 200, itemsTotal: 2, failures: 0, lastError: null });
    expect(feed!.lastSuccessAt).not.toBeNull();
    // the chain goes on: the next poll is queued for the feed's interval
    const next = (await kit.store.jobs.listByStatus('pending')).filter((j) => j.kind === 'feed_poll');
    expect(next).toHaveLength(1);
    expect(next[0]!.runAt).toBeGreaterThan(Date.now() + 29 * 60_000);

    const list = (await kit.admin<ConversationPage>('GET', '/conversations?source=feed')).body.items;
    expect(list).toHaveLength(2);
    const logout = (await kit.store.feedback.list(kit.site.id, { limit: 10 })).find((i) => i.externalId === 'p-1');
    expect(logout).toMatchObject({ channel: 'feed', author: 'Kim', url: 'https://forum.example/t/p-1', createdAt: '2026-11-10T09:30:00.000Z' });
    expect(logout!.text).toBe('Acme app keeps logging me out\n\nSince Tuesday the Acme app logs me out every 5 min & I lose my cart.');

    const polled = await kit.admin<{ feed: FeedView }>('POST', `/ingest/feeds/${feed!.id}/poll`);
    expect(polled.body.feed).toMatchObject({ lastStatus: 304, itemsTotal: 2 });
    expect(feeds.requests.at(-1)!.headers['if-none-match']).toBe('"v1"');
    expect(await kit.store.feedback.count(kit.site.id)).toBe(2);

    // a new post: only it arrives, the earlier ones are not taken twice
    feeds.docs.set('/rss.xml', {
      type: 'application/rss+xml',
      etag: '"v2"',
      body: rss(rssItem('p-4', 'Acme refund still missing', 'Three weeks and no refund for order 88213.'), rssItem('p-1', 'Acme app keeps logging me out', 'edited'), rssItem('p-3', 'ACME delivery was early!', 'x')),
    });
    [feed] = [(await kit.admin<{ feed: FeedView }>('POST', `/ingest/feeds/${feed!.id}/poll`)).body.feed];
    expect(feed).toMatchObject({ lastStatus: 200, itemsTotal: 3 });
    expect(await kit.store.feedback.count(kit.site.id)).toBe(3);
  });

  it('takes Atom entries and sends If-Modified-Since from Last-Modified', async () => {
    kit = await ingestKit();
    feeds = await feedServer();
    feeds.docs.set('/atom.xml', { type: 'application/atom+xml', lastModified: 'Thu, 12 Nov 2026 11:00:00 GMT', body: ATOM });
    await kit.admin('POST', '/ingest/feeds', { siteId: kit.site.id, name: 'Reviews', url: `${feeds.base}/atom.xml`, keywords: ['acme', 'parley'] });
    await kit.runDueFeedPolls();
    const items = await kit.store.feedback.list(kit.site.id, { limit: 10 });
    expect(items.map((i) => [i.externalId, i.author])).toEqual([['urn:review:501', 'Greta']]);
    expect(items[0]!.text).toBe('Acme Kundenservice\n\nDer Acme Support hat mein Problem in 10 Minuten gelöst & war freundlich.');
    const [feed] = await feedList();
    const again = await kit.admin<{ feed: FeedView }>('POST', `/ingest/feeds/${feed!.id}/poll`);
    expect(feeds.requests.at(-1)!.headers['if-modified-since']).toBe('Thu, 12 Nov 2026 11:00:00 GMT');
    expect(again.body.feed).toMatchObject({ lastStatus: 304, itemsTotal: 1 });
  });

  it('backs off a failing feed and shows its last error; a good poll clears the failures', async () => {
    kit = await ingestKit();
    feeds = await feedServer();
    feeds.docs.set('/broken.xml', { type: 'text/plain', body: '', status: 503 });
    feeds.docs.set('/page.html', { type: 'text/html', body: '<html><body>Not a feed</body></html>' });
    await kit.admin('POST', '/ingest/feeds', { siteId: kit.site.id, name: 'Broken', url: `${feeds.base}/broken.xml`, intervalMinutes: 10 });
    await kit.admin('POST', '/ingest/feeds', { siteId: kit.site.id, name: 'Page', url: `${feeds.base}/page.html`, intervalMinutes: 10 });
    const t0 = Date.now();
    await kit.runDueFeedPolls();
    let [broken, page] = await feedList();
    expect(broken).toMatchObject({ failures: 1, lastStatus: 503, lastError: expect.stringMatching(/^HTTP 503/), lastSuccessAt: null });
    expect(broken!.nextPollAt).toBeGreaterThanOrEqual(t0 + 20 * 60_000);
    expect(page).toMatchObject({ failures: 1, lastError: expect.stringMatching(/not an RSS or Atom feed/) });

    [broken] = [(await kit.admin<{ feed: FeedView }>('POST', `/ingest/feeds/${broken!.id}/poll`)).body.feed];
    expect(broken!.failures).toBe(2);
    expect(broken!.nextPollAt).toBeGreaterThanOrEqual(t0 + 40 * 60_000);
    expect(backoffMs(10, 20)).toBe(24 * 60 * 60_000);

    feeds.docs.set('/broken.xml', { type: 'application/rss+xml', body: rss(rssItem('b-1', 'Back', 'Works again')) });
    [broken] = [(await kit.admin<{ feed: FeedView }>('POST', `/ingest/feeds/${broken!.id}/poll`)).body.feed];
    expect(broken).toMatchObject({ failures: 0, lastStatus: 200, itemsTotal: 1 });
    // the last error stays visible for the record, beside the newer success
    expect(broken!.lastError).toMatch(/HTTP 503/);
    expect(broken!.lastSuccessAt!).toBeGreaterThan(broken!.lastErrorAt!);
  });

  it('a disabled feed stops its chain; enabling it starts a new one', async () => {
    kit = await ingestKit();
    feeds = await feedServer();
    feeds.docs.set('/rss.xml', { type: 'application/rss+xml', body: rss() });
    const { feed } = (await kit.admin<{ feed: FeedView }>('POST', '/ingest/feeds', { siteId: kit.site.id, name: 'F', url: `${feeds.base}/rss.xml` })).body;
    await kit.admin('PATCH', `/ingest/feeds/${feed.id}`, { enabled: false });
    expect(await kit.runDueFeedPolls()).toBe(1);
    expect(feeds.requests).toHaveLength(0);
    expect((await kit.store.jobs.listByStatus('pending')).filter((j) => j.kind === 'feed_poll')).toHaveLength(0);
    await kit.admin('PATCH', `/ingest/feeds/${feed.id}`, { enabled: true });
    expect(await kit.runDueFeedPolls()).toBe(1);
    expect(feeds.requests).toHaveLength(1);
  });
});

describe('outbound URL guard', () => {
  it('refuses private and loopback addresses and non-http URLs unless allowed', async () => {
    kit = await ingestKit({ allowPrivateFeedUrls: false });
    feeds = await feedServer();
    feeds.docs.set('/rss.xml', { type: 'application/rss+xml', body: rss() });
    const refused = await kit.admin<{ error: { message: string } }>('POST', '/ingest/feeds', { siteId: kit.site.id, name: 'L', url: `${feeds.base}/rss.xml` });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/private address/);
    expect((await kit.admin('POST', '/ingest/feeds', { siteId: kit.site.id, name: 'F', url: 'file:///etc/passwd' })).status).toBe(400);
    // a name that resolves to loopback is refused at connect time (the check sits in the lookup)
    const port = new URL(feeds.base).port;
    await expect(guardedGet(`http://localhost:${port}/rss.xml`, { allowPrivate: false })).rejects.toBeInstanceOf(UrlRefused);
    await expect(guardedGet(`http://[::1]:${port}/rss.xml`, { allowPrivate: false })).rejects.toBeInstanceOf(UrlRefused);
    expect(feeds.requests).toHaveLength(0);
    expect(['10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '::ffff:127.0.0.1', 'fd00::1'].every(isPrivateAddress)).toBe(true);
    expect(['93.184.216.34', '2606:4700::1111'].some(isPrivateAddress)).toBe(false);

    // the operator's switch (a store setting here; PARLEY_FEEDS_ALLOW_PRIVATE in production)
    await kit.store.ingest.settings.set('allow_private_feed_urls', 'true');
    expect((await kit.admin('POST', '/ingest/feeds', { siteId: kit.site.id, name: 'L', url: `${feeds.base}/rss.xml` })).status).toBe(200);
    await kit.runDueFeedPolls();
    expect(feeds.requests).toHaveLength(1);
  });
});

describe('feed text helpers', () => {
  it('turns HTML into text and matches keywords case-insensitively', () => {
    expect(htmlToText('<p>Tom &amp; Jerry&#39;s <i>café</i></p><p>2nd&nbsp;line</p><style>p{}</style><!-- x -->')).toBe("Tom & Jerry's café\n2nd line");
    expect(htmlToText('&lt;img src=x onerror=alert(1)&gt;')).toBe('<img src=x onerror=alert(1)>');
    expect(matchesKeywords('Bought an ACME kettle', ['acme'])).toBe(true);
    expect(matchesKeywords('Bought a kettle', ['acme', 'parley'])).toBe(false);
    expect(matchesKeywords('anything', [])).toBe(true);
  });
});

describe('teams', () => {
  it('an agent reads the feeds and imports of their teams’ sites only, and changes none', async () => {
    kit = await ingestKit();
    const other = await kit.store.sites.create({ key: 'globex', name: 'Globex', allowedOrigins: [] });
    const agent = await kit.store.admin.users.create({ email: 'bo@acme.test', name: 'Bo', role: 'agent', passwordHash: await hashPassword('agent-password-1') });
    await kit.store.respond.teams.create({ name: 'Globex team', memberIds: [agent.id], siteIds: [other.id] });
    const mine = (await kit.admin<{ feed: FeedView }>('POST', '/ingest/feeds', { siteId: kit.site.id, name: 'Acme reviews', url: 'https://reviews.example/acme.rss' })).body.feed;
    await kit.admin('POST', '/ingest/feeds', { siteId: other.id, name: 'Globex reviews', url: 'https://reviews.example/globex.rss' });
    const upload = await kit.admin<ImportPreview>('POST', `/ingest/imports?siteId=${kit.site.id}&filename=a.csv`, undefined, { body: 'text\nGreat', type: 'text/csv' });

    const bo = await kit.adminAs('bo@acme.test', 'agent-password-1');
    expect((await bo<{ feeds: FeedView[] }>('GET', '/ingest/feeds')).body.feeds.map((f) => f.name)).toEqual(['Globex reviews']);
    expect((await bo<{ feeds: FeedView[] }>('GET', `/ingest/feeds?siteId=${kit.site.id}`)).body.feeds).toEqual([]);
    expect((await bo('GET', `/ingest/imports/${upload.body.import.id}`)).status).toBe(404);
    expect((await bo('PATCH', `/ingest/feeds/${mine.id}`, { enabled: false })).status).toBe(403);
    expect((await bo('GET', `/ingest/webhook/${other.id}`)).status).toBe(403);
  });
});

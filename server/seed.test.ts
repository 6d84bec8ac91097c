import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { loadExampleFlows, seedDemo } from './seed.ts';
import { openDb } from './store/db.ts';
import { createStore } from './store/index.ts';
import { userHash, verifyUserHash } from './conversation/identity.ts';

const log = createLogger('silent');

describe('demo seed', () => {
  it('creates the demo site with its flows and knowledge base on an empty database, once', async () => {
    const store = createStore(openDb(':memory:'));
    const first = await seedDemo(store, log);
    expect(first.createdSite).toBe(true);
    const site = (await store.sites.getByKey('demo'))!;
    expect(site.allowedOrigins).toEqual(['http://localhost:*', 'http://127.0.0.1:*']);
    // the demo's secret is generated at seed time, never the one anybody could read in examples/
    const secret = (await store.sites.identitySecret(site.id))!;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyUserHash(secret, 'u1', userHash('demo-identity-secret', 'u1'))).toBe(false);
    expect(verifyUserHash(secret, 'u1', userHash(secret, 'u1'))).toBe(true);
    const flowIds = (await store.flows.list(site.id)).map((f) => f.id);
    expect(flowIds).toEqual(loadExampleFlows().map((f) => f.id).sort());
    expect(flowIds).toContain(site.settings.defaultFlow);
    expect((await store.kb.list(site.id)).length).toBeGreaterThan(0);
    expect((await store.kb.list(site.id)).every((e) => e.title.length > 0 && !e.title.startsWith('#'))).toBe(true);

    expect(await seedDemo(store, log)).toEqual({ createdSite: false, siteId: site.id, flows: 0, kb: 0 });
    expect(await store.sites.list()).toHaveLength(1);
  });

  it('leaves a database that already has other sites alone', async () => {
    const store = createStore(openDb(':memory:'));
    await store.sites.create({ key: 'mine', name: 'Mine', allowedOrigins: [] });
    expect((await seedDemo(store, log)).createdSite).toBe(false);
    expect(await store.sites.getByKey('demo')).toBeNull();
  });
});

describe('demo topics', () => {
  it('the demo site gets the example topic taxonomy when examples/topics.json exists', async () => {
    const store = createStore(openDb(':memory:'));
    await seedDemo(store, log);
    const topics = (await store.sites.getByKey('demo'))!.settings.topics;
    expect(topics.length).toBeGreaterThan(0);
    expect(topics.map((t) => t.name)).toContain('Delivery');
  });
});

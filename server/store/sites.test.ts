import { describe, expect, it } from 'vitest';
import { openDb } from './db.ts';
import { createStore } from './index.ts';

describe('sites store', () => {
  it('fills settings defaults and finds a site by key', async () => {
    const store = createStore(openDb(':memory:'));
    await store.sites.create({ key: 'shop', name: 'Shop', allowedOrigins: ['http://localhost:*'], identitySecret: 's3cret' });
    const site = await store.sites.getByKey('shop');
    expect(site?.settings.idleTimeoutMinutes).toBe(30);
    expect(site?.allowedOrigins).toEqual(['http://localhost:*']);
    expect(await store.sites.identitySecret(site!.id)).toBe('s3cret');
    expect(await store.sites.getByKey('nope')).toBeNull();
  });

  it('a cached site is refreshed after an update', async () => {
    const store = createStore(openDb(':memory:'));
    const created = await store.sites.create({ key: 'shop', name: 'Shop', allowedOrigins: [] });
    expect((await store.sites.getByKey('shop'))?.name).toBe('Shop');
    await store.sites.update(created.id, { name: 'Shop 2', allowedOrigins: ['https://shop.example'] });
    expect((await store.sites.getByKey('shop'))?.name).toBe('Shop 2');
    expect((await store.sites.getByKey('shop'))?.allowedOrigins).toEqual(['https://shop.example']);
  });

  it('refuses a malformed origin pattern', async () => {
    const store = createStore(openDb(':memory:'));
    await expect(store.sites.create({ key: 'bad', name: 'Bad', allowedOrigins: ['not an origin'] })).rejects.toThrow();
  });
});

describe('flows store', () => {
  it('a cached flow is replaced by an upsert and forgotten on remove', async () => {
    const store = createStore(openDb(':memory:'));
    const site = await store.sites.create({ key: 'shop', name: 'Shop', allowedOrigins: [] });
    const flow = { id: 'help', kind: 'support' as const, name: 'Help', intro: 'Hi!' };
    await store.flows.upsert(site.id, flow);
    expect(await store.flows.get(site.id, 'help')).toMatchObject({ intro: 'Hi!', handoff: { enabled: true } });
    await store.flows.upsert(site.id, { ...flow, intro: 'Hello again' });
    expect((await store.flows.get(site.id, 'help'))?.intro).toBe('Hello again');
    await store.flows.remove(site.id, 'help');
    expect(await store.flows.get(site.id, 'help')).toBeNull();
  });
});

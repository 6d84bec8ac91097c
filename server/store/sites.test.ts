import { describe, expect, it } from 'vitest';
import { openDb } from './db.ts';
import { createStore } from './index.ts';

describe('sites store', () => {
  it('fills settings defaults and finds a site by key', () => {
    const store = createStore(openDb(':memory:'));
    store.sites.create({ key: 'shop', name: 'Shop', allowedOrigins: ['http://localhost:*'], identitySecret: 's3cret' });
    const site = store.sites.getByKey('shop');
    expect(site?.settings.idleTimeoutMinutes).toBe(30);
    expect(site?.allowedOrigins).toEqual(['http://localhost:*']);
    expect(store.sites.identitySecret(site!.id)).toBe('s3cret');
    expect(store.sites.getByKey('nope')).toBeNull();
  });

  it('a cached site is refreshed after an update', () => {
    const store = createStore(openDb(':memory:'));
    const created = store.sites.create({ key: 'shop', name: 'Shop', allowedOrigins: [] });
    expect(store.sites.getByKey('shop')?.name).toBe('Shop');
    store.sites.update(created.id, { name: 'Shop 2', allowedOrigins: ['https://shop.example'] });
    expect(store.sites.getByKey('shop')?.name).toBe('Shop 2');
    expect(store.sites.getByKey('shop')?.allowedOrigins).toEqual(['https://shop.example']);
  });

  it('refuses a malformed origin pattern', () => {
    const store = createStore(openDb(':memory:'));
    expect(() => store.sites.create({ key: 'bad', name: 'Bad', allowedOrigins: ['not an origin'] })).toThrow();
  });
});

describe('flows store', () => {
  it('a cached flow is replaced by an upsert and forgotten on remove', () => {
    const store = createStore(openDb(':memory:'));
    const site = store.sites.create({ key: 'shop', name: 'Shop', allowedOrigins: [] });
    const flow = { id: 'help', kind: 'support' as const, name: 'Help', intro: 'Hi!' };
    store.flows.upsert(site.id, flow);
    expect(store.flows.get(site.id, 'help')).toMatchObject({ intro: 'Hi!', handoff: { enabled: true } });
    store.flows.upsert(site.id, { ...flow, intro: 'Hello again' });
    expect(store.flows.get(site.id, 'help')?.intro).toBe('Hello again');
    store.flows.remove(site.id, 'help');
    expect(store.flows.get(site.id, 'help')).toBeNull();
  });
});

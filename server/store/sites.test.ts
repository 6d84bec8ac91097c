import { describe, expect, it } from 'vitest';
import { ENGINES, useEngine } from './test-helpers.ts';

describe.each(ENGINES)('sites store (%s)', (engine) => {
  const db = useEngine(engine);

  it('fills settings defaults and finds a site by key', async () => {
    const store = await db.store();
    await store.sites.create({ key: 'shop', name: 'Shop', allowedOrigins: ['http://localhost:*'], identitySecret: 's3cret' });
    const site = await store.sites.getByKey('shop');
    expect(site?.settings.idleTimeoutMinutes).toBe(30);
    expect(site?.allowedOrigins).toEqual(['http://localhost:*']);
    expect(await store.sites.identitySecret(site!.id)).toBe('s3cret');
    expect(await store.sites.getByKey('nope')).toBeNull();
  });

  it('a cached site is refreshed after an update', async () => {
    const store = await db.store();
    const created = await store.sites.create({ key: 'shop', name: 'Shop', allowedOrigins: [] });
    expect((await store.sites.getByKey('shop'))?.name).toBe('Shop');
    await store.sites.update(created.id, { name: 'Shop 2', allowedOrigins: ['https://shop.example'] });
    expect((await store.sites.getByKey('shop'))?.name).toBe('Shop 2');
    expect((await store.sites.getByKey('shop'))?.allowedOrigins).toEqual(['https://shop.example']);
  });

  it('a deleted site is gone from every cache: its key, its origins, its flows, its knowledge base', async () => {
    const store = await db.store();
    const site = await store.sites.create({ key: 'shop', name: 'Shop', allowedOrigins: ['https://shop.example'] });
    const kept = await store.sites.create({ key: 'kept', name: 'Kept', allowedOrigins: ['https://kept.example'] });
    for (const s of [site, kept]) {
      await store.flows.upsert(s.id, { id: 'help', kind: 'support', name: 'Help', intro: 'Hi!' });
      await store.kb.upsert(s.id, { id: 'reset', title: 'Reset a password', body: 'Use the link.', tags: [] });
    }
    // read once: now cached
    expect(await store.sites.getByKey('shop')).not.toBeNull();
    expect(await store.sites.allOriginPatterns()).toEqual(['https://shop.example', 'https://kept.example']);
    expect((await store.flows.get(site.id, 'help'))?.intro).toBe('Hi!');
    expect(await store.kb.list(site.id)).toHaveLength(1);
    expect(await store.flows.get(kept.id, 'help')).not.toBeNull();

    expect(await store.sites.remove(site.id)).toBe(true);
    expect(await store.sites.getByKey('shop')).toBeNull();
    expect(await store.sites.allOriginPatterns()).toEqual(['https://kept.example']);
    expect(await store.flows.get(site.id, 'help')).toBeNull();
    expect(await store.kb.list(site.id)).toEqual([]);
    // the other site is untouched
    expect((await store.flows.get(kept.id, 'help'))?.intro).toBe('Hi!');
    expect(await store.kb.list(kept.id)).toHaveLength(1);
  });

  it('a site deletion rolled back leaves its flows and knowledge base served', async () => {
    const store = await db.store();
    const site = await store.sites.create({ key: 'shop', name: 'Shop', allowedOrigins: [] });
    await store.flows.upsert(site.id, { id: 'help', kind: 'support', name: 'Help', intro: 'Hi!' });
    await store.kb.upsert(site.id, { id: 'reset', title: 'Reset a password', body: 'Use the link.', tags: [] });
    await expect(
      store.tx(async () => {
        await store.sites.remove(site.id);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await store.sites.getByKey('shop')).not.toBeNull();
    expect((await store.flows.get(site.id, 'help'))?.intro).toBe('Hi!');
    expect(await store.kb.list(site.id)).toHaveLength(1);
  });

  it('refuses a malformed origin pattern', async () => {
    const store = await db.store();
    await expect(store.sites.create({ key: 'bad', name: 'Bad', allowedOrigins: ['not an origin'] })).rejects.toThrow();
  });
});

describe.each(ENGINES)('flows store (%s)', (engine) => {
  const db = useEngine(engine);

  it('a cached flow is replaced by an upsert and forgotten on remove', async () => {
    const store = await db.store();
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

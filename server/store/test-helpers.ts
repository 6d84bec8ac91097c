import { openDb } from './db.ts';
import { createStore, type Store } from './index.ts';

/** A fresh in-memory store with one site (key "acme"). */
export async function memoryStore(): Promise<{ store: Store; siteId: string }> {
  const store = createStore(openDb(':memory:'));
  const site = await store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: ['https://acme.test'], identitySecret: 'secret' });
  return { store, siteId: site.id };
}

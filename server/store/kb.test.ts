import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from './db.ts';
import { createStore } from './index.ts';
import { memoryStore } from './test-helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const entry = (id: string, title: string) => ({ id, title, body: `${title}: how it works`, tags: ['help'] });

describe('knowledge base entries', () => {
  it('a listed site shows an edit or a removal at once', async () => {
    const { store, siteId } = await memoryStore();
    await store.kb.upsert(siteId, entry('reset', 'Reset a password'));
    expect((await store.kb.list(siteId)).map((e) => e.title)).toEqual(['Reset a password']);
    await store.kb.upsert(siteId, entry('reset', 'Reset your password'));
    await store.kb.upsert(siteId, entry('billing', 'Billing'));
    expect((await store.kb.list(siteId)).map((e) => e.title)).toEqual(['Billing', 'Reset your password']);
    expect(await store.kb.remove(siteId, 'billing')).toBe(true);
    expect((await store.kb.list(siteId)).map((e) => e.id)).toEqual(['reset']);
  });

  it('an edit that was rolled back is not served afterwards', async () => {
    const { store, siteId } = await memoryStore();
    await store.kb.upsert(siteId, entry('reset', 'Reset a password'));
    await expect(
      store.tx(async () => {
        await store.kb.upsert(siteId, entry('reset', 'Changed then undone'));
        expect((await store.kb.list(siteId)).map((e) => e.title)).toEqual(['Changed then undone']);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect((await store.kb.list(siteId)).map((e) => e.title)).toEqual(['Reset a password']);
  });

  it('an edit made by another process (the admin CLI) is seen without a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-kb-'));
    dirs.push(dir);
    const path = join(dir, 'parley.db');
    const server = createStore(openDb(path, { checkpointMs: 0 }));
    const site = await server.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: ['https://acme.test'] });
    await server.kb.upsert(site.id, entry('reset', 'Reset a password'));
    expect((await server.kb.list(site.id)).map((e) => e.title)).toEqual(['Reset a password']);

    const cli = createStore(openDb(path, { checkpointMs: 0 }));
    await cli.kb.upsert(site.id, entry('reset', 'Edited from the CLI'));
    expect((await server.kb.list(site.id)).map((e) => e.title)).toEqual(['Edited from the CLI']);
  });
});

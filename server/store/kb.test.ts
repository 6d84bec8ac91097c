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
  it('a listed site shows an edit or a removal at once', () => {
    const { store, siteId } = memoryStore();
    store.kb.upsert(siteId, entry('reset', 'Reset a password'));
    expect(store.kb.list(siteId).map((e) => e.title)).toEqual(['Reset a password']);
    store.kb.upsert(siteId, entry('reset', 'Reset your password'));
    store.kb.upsert(siteId, entry('billing', 'Billing'));
    expect(store.kb.list(siteId).map((e) => e.title)).toEqual(['Billing', 'Reset your password']);
    expect(store.kb.remove(siteId, 'billing')).toBe(true);
    expect(store.kb.list(siteId).map((e) => e.id)).toEqual(['reset']);
  });

  it('an edit that was rolled back is not served afterwards', () => {
    const { store, siteId } = memoryStore();
    store.kb.upsert(siteId, entry('reset', 'Reset a password'));
    expect(() =>
      store.tx(() => {
        store.kb.upsert(siteId, entry('reset', 'Changed then undone'));
        expect(store.kb.list(siteId).map((e) => e.title)).toEqual(['Changed then undone']);
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(store.kb.list(siteId).map((e) => e.title)).toEqual(['Reset a password']);
  });

  it('an edit made by another process (the admin CLI) is seen without a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-kb-'));
    dirs.push(dir);
    const path = join(dir, 'parley.db');
    const server = createStore(openDb(path, { checkpointMs: 0 }));
    const site = server.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: ['https://acme.test'] });
    server.kb.upsert(site.id, entry('reset', 'Reset a password'));
    expect(server.kb.list(site.id).map((e) => e.title)).toEqual(['Reset a password']);

    const cli = createStore(openDb(path, { checkpointMs: 0 }));
    cli.kb.upsert(site.id, entry('reset', 'Edited from the CLI'));
    expect(server.kb.list(site.id).map((e) => e.title)).toEqual(['Edited from the CLI']);
  });
});

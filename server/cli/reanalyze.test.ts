import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { DETRACTOR, PROMOTER, seedEnded, shopStore } from '../analysis/test-fixtures.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'parley-reanalyze-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reanalyze CLI', () => {
  it('re-extracts the ended conversations of a site, replacing records, with progress on stderr', async () => {
    const dbPath = join(dir, 'p.db');
    const { store, siteId } = await shopStore(dbPath);
    const ids = [await seedEnded(store, siteId, DETRACTOR), await seedEnded(store, siteId, PROMOTER)];
    const env = { ...process.env, PARLEY_DB: dbPath, PARLEY_LLM: 'offline', LOG_LEVEL: 'silent' };
    const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'server/cli/reanalyze.ts', ...args], { cwd: ROOT, env });

    const first = await cli('--site', 'shop');
    expect(first.stderr).toContain('re-analysed 2 of 2');
    expect(await store.extractions.count()).toBe(2);
    expect((await store.extractions.get(ids[0]!))?.followUp.needed).toBe(true);

    expect((await cli('--stale')).stderr).toContain('re-analysed 0 of 0');
    expect((await cli('--site', 'elsewhere')).stderr).toContain('re-analysed 0 of 0');
    await cli();
    expect(await store.extractions.count()).toBe(2);
  });

  it('runs the routing rules on the new records, once per extraction', async () => {
    const dbPath = join(dir, 'rules.db');
    const { store, siteId } = await shopStore(dbPath);
    const rule = await store.respond.rules.create(siteId, {
      name: 'Detractors get a follow-up',
      enabled: true,
      match: 'all',
      conditions: [{ type: 'nps', categories: ['detractor'] }],
      actions: [{ type: 'add_tags', tags: ['needs-care'] }],
    });
    const detractor = await seedEnded(store, siteId, DETRACTOR);
    const promoter = await seedEnded(store, siteId, PROMOTER);
    const env = { ...process.env, PARLEY_DB: dbPath, PARLEY_LLM: 'offline', LOG_LEVEL: 'silent' };
    await run(process.execPath, ['--import', 'tsx', 'server/cli/reanalyze.ts'], { cwd: ROOT, env });
    expect((await store.respond.rules.firings(detractor)).map((f) => f.ruleId)).toEqual([rule.id]);
    expect(await store.respond.rules.firings(promoter)).toEqual([]);
    // the same extraction again: the rule does not fire twice
    await run(process.execPath, ['--import', 'tsx', 'server/cli/reanalyze.ts'], { cwd: ROOT, env });
    expect(await store.respond.rules.firings(detractor)).toHaveLength(1);
  });

  it('rejects a bad date clearly', async () => {
    const env = { ...process.env, PARLEY_DB: join(dir, 'q.db'), PARLEY_LLM: 'offline' };
    await expect(run(process.execPath, ['--import', 'tsx', 'server/cli/reanalyze.ts', '--since', 'yesterday-ish'], { cwd: ROOT, env })).rejects.toMatchObject({
      stderr: expect.stringContaining('--since must be a date'),
    });
  });
});

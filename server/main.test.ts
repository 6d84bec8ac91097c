import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { createFakeEngine } from './conversation/fake-engine.ts';
import { startServer } from './main.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('server start-up', () => {
  it('a bad environment value stops start-up with one clear line and exit code 1', async () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'eighty', PARLEY_DB: ':memory:' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(/^parley: Invalid PORT \(got "eighty"\): [^\n]+$/);
  });

  it('restarting on the same database keeps the data, migrates nothing twice and seeds nothing twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-main-'));
    dirs.push(dir);
    const config = loadConfig({ PORT: '0', PARLEY_DB: join(dir, 'p.db'), PARLEY_LLM: 'offline', LOG_LEVEL: 'silent' });
    const first = await startServer(config, { engine: createFakeEngine().engine });
    const health = await fetch(`${first.url}/healthz`);
    expect(health.status).toBe(200);
    const site = (await first.store.sites.getByKey('demo'))!;
    const visitor = (await first.service.hello(site, undefined, {})).visitor;
    const { conversation } = await first.service.start(site, visitor, { restart: false });
    await first.close();

    const second = await startServer(config, { engine: createFakeEngine().engine });
    expect((await second.store.sites.list()).map((s) => s.key)).toEqual(['demo']);
    expect(await second.store.messages.list(conversation.id)).toHaveLength(2);
    await second.close();
  });
});

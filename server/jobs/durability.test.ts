import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createExtractionService } from '../analysis/extraction-service.ts';
import { OFFLINE_VERSION } from '../analysis/offline-extractor.ts';
import { DETRACTOR, PROMOTER, seedEnded, shopStore } from '../analysis/test-fixtures.ts';
import { createLogger } from '../logger.ts';
import { createJobWorker } from './worker.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('durable extract jobs', () => {
  it('loses no conversation when the worker is SIGKILLed mid-batch and a new one resumes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-jobs-'));
    dirs.push(dir);
    const dbPath = join(dir, 'parley.db');
    const { store, siteId } = await shopStore(dbPath);
    const N = 30;
    const ids: string[] = [];
    for (let i = 0; i < N; i++) ids.push(await seedEnded(store, siteId, i % 2 ? DETRACTOR : PROMOTER));

    const child = spawn(process.execPath, ['--import', 'tsx', 'server/jobs/durability-child.ts', dbPath], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));

    // Kill it once some, but not all, conversations are extracted.
    for (let i = 0; i < 3000 && (await store.extractions.count()) < 4; i++) await sleep(20);
    child.kill('SIGKILL');
    expect(await exited, stderr).toBe('SIGKILL');
    const before = await store.extractions.count();
    expect(before).toBeGreaterThanOrEqual(4);
    expect(before).toBeLessThan(N);
    expect((await store.jobs.counts()).done).toBeLessThan(N);

    const log = createLogger('silent');
    const service = createExtractionService({ extractions: store.extractions, llm: null, log });
    const worker = createJobWorker({ jobs: store.jobs, handlers: { extract: (p) => service.handleJob(p) }, concurrency: 2, pollMs: 10, log });
    await worker.drain();

    expect(await store.jobs.counts()).toEqual({ pending: 0, running: 0, done: N, dead: 0 });
    expect(await store.extractions.count()).toBe(N);
    for (const id of ids) expect((await store.extractions.get(id))?.conversationId).toBe(id);
    expect(await store.extractions.listEndedIds({ staleFor: OFFLINE_VERSION })).toEqual([]);
  });
});

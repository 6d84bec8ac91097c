import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FeedbackBatchResponse, FeedbackItem } from '../../shared/feedback.ts';
import { loadConfig } from '../config.ts';
import { tokenHash } from '../http/v1/token-auth.ts';
import { startServer, type RunningServer } from '../main.ts';

let dir: string;
let server: RunningServer;
const TOKEN = 'pk_wiring_test_token_123';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-ingest-'));
  server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', PARLEY_DB: join(dir, 'p.db'), PARLEY_LLM: 'offline', LOG_LEVEL: 'silent', PARLEY_DEMO_HISTORY: 'false' }));
  await server.store.sites.create({ key: 'shop', name: 'Shop', allowedOrigins: [], apiTokenHash: tokenHash(TOKEN) });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ingest in the running server', () => {
  it('takes a batch over /api/v1 (beyond the app-wide 1 MB JSON limit) and the started worker analyses it', { timeout: 90_000 }, async () => {
    // ~1.3 MB (mostly metadata): more than the app's JSON limit, less than the batch limit
    const items = Array.from({ length: 200 }, (_, i) => ({
      externalId: `w-${i}`,
      text: i % 2 ? 'The checkout keeps failing on step 3, really annoying.' : 'Lieferung war schnell, danke! Nur die Rechnung fehlte.',
      metadata: { order: 40_000 + i, raw: 'y'.repeat(6_000) },
    }));
    const r = await fetch(`${server.url}/api/v1/feedback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ items }),
    });
    expect(r.status).toBe(201);
    const body = (await r.json()) as FeedbackBatchResponse;
    expect(body.created).toBe(200);
    const first = body.results[0]!;
    const id = first.status === 'created' ? first.id : '';
    await vi.waitFor(
      async () => {
        const got = (await (await fetch(`${server.url}/api/v1/feedback/${id}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { item: FeedbackItem };
        expect(got.item.status).toBe('analysed');
      },
      { timeout: 60_000, interval: 200 },
    );
    // every item analysed, and the after-extraction steps (rules, playbooks) failed none of the jobs
    await vi.waitFor(async () => expect(await server.store.extractions.count()).toBe(200), { timeout: 60_000, interval: 200 });
    expect((await server.store.jobs.counts()).dead).toBe(0);
    expect((await server.store.jobs.listByStatus('pending')).filter((j) => j.lastError !== null)).toEqual([]);
    const doc = await fetch(`${server.url}/api/v1/openapi.json`);
    expect(doc.status).toBe(200);
  });
});

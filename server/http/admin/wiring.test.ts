import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { startServer, type RunningServer } from '../../main.ts';

let dir: string;
let server: RunningServer;
const env = (dbPath: string) => ({
  PORT: '0',
  HOST: '127.0.0.1',
  PARLEY_DB: dbPath,
  PARLEY_LLM: 'offline',
  LOG_LEVEL: 'silent',
  PARLEY_ADMIN_EMAIL: 'first@acme.test',
  PARLEY_ADMIN_PASSWORD: 'first-admin-password',
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-admin-'));
  server = await startServer(loadConfig(env(join(dir, 'p.db'))));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const login = (body: string) =>
  fetch(`${server.url}/api/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('the admin API in the running server', () => {
  it('signs in the first owner from PARLEY_ADMIN_EMAIL / PARLEY_ADMIN_PASSWORD', async () => {
    const r = await login(JSON.stringify({ email: 'first@acme.test', password: 'first-admin-password' }));
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ok: true, user: { role: 'owner' } });
  });

  it('keeps one owner across restarts', async () => {
    await server.close();
    server = await startServer(loadConfig(env(join(dir, 'p.db'))));
    expect(await server.store.admin.users.count()).toBe(1);
  });

  it('answers malformed JSON and unknown admin paths in the error shape, without crashing', async () => {
    const bad = await login('{"email": ');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    const anon = await fetch(`${server.url}/api/admin/conversations`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('cache-control')).toBe('no-store');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('a fresh install without PARLEY_ADMIN_EMAIL', () => {
  it('offers first-run setup through the running server, and only once', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'parley-setup-'));
    const { PARLEY_ADMIN_EMAIL: _e, PARLEY_ADMIN_PASSWORD: _p, ...noAdmin } = env(join(fresh, 'p.db'));
    const s = await startServer(loadConfig(noAdmin));
    try {
      const status = async () => (await (await fetch(`${s.url}/api/admin/setup`)).json()) as unknown;
      expect(await status()).toEqual({ ok: true, setupRequired: true });
      const setup = (email: string) =>
        fetch(`${s.url}/api/admin/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'fresh-owner-password' }) });
      const created = await setup('fresh@acme.test');
      expect(created.status).toBe(200);
      expect(created.headers.get('set-cookie')).toMatch(/^parley_admin=/);
      expect((await setup('second@acme.test')).status).toBe(409);
      expect(await status()).toEqual({ ok: true, setupRequired: false });
    } finally {
      await s.close();
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});

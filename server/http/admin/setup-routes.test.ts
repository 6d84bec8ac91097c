import { afterEach, describe, expect, it } from 'vitest';
import { storedPasswordColumn } from '../../store/review-fixtures.ts';
import { adminKit, emptyAdminKit, OWNER } from './test-kit.ts';

const errorCode = (body: unknown) => (body as { error?: { code?: string } } | null)?.error?.code;
const FIRST = { email: 'Founder@Acme.test', name: 'Fay', password: 'founder-password-1' };

const open: { close(): Promise<void> }[] = [];
const track = <K extends { close(): Promise<void> }>(k: K): K => (open.push(k), k);
afterEach(async () => {
  await Promise.all(open.splice(0).map((k) => k.close()));
});

describe('first-run setup on a fresh install', () => {
  it('tells a signed-out page that setup is needed, while the session stays closed', async () => {
    const kit = track(await emptyAdminKit());
    const anon = kit.client();
    expect((await anon.req('GET', '/setup')).body).toEqual({ ok: true, setupRequired: true });
    const s = await anon.req('GET', '/session');
    expect([s.status, errorCode(s.body)]).toEqual([401, 'unauthorized']);
  });

  it('creates the owner, signs them in with cookie and CSRF token, and then says setup is done', async () => {
    const kit = track(await emptyAdminKit());
    const c = kit.client();
    const r = await c.req('POST', '/setup', FIRST);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, user: { email: 'founder@acme.test', name: 'Fay', role: 'owner' } });
    const cookie = r.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^parley_admin=.*HttpOnly.*SameSite=Strict/);
    c.cookie = cookie.split(';')[0] ?? null;
    c.csrf = (r.body as { csrfToken: string }).csrfToken;

    expect((await c.req('GET', '/session')).body).toMatchObject({ ok: true, user: { role: 'owner' }, csrfToken: c.csrf });
    // a state change with the CSRF token from setup works: this is a real owner session
    const site = await c.req('POST', '/sites', { name: 'Shop', allowedOrigins: ['https://shop.test'] });
    expect(site.status).toBe(200);
    expect((await kit.client().req('GET', '/setup')).body).toEqual({ ok: true, setupRequired: false });
    // the password is stored as scrypt and signs in normally
    expect(storedPasswordColumn(kit.db, 'founder@acme.test')).toMatch(/^scrypt\$/);
    expect((await kit.client().login({ email: FIRST.email, password: FIRST.password })).status).toBe(200);
    expect((await kit.store.admin.audit.list(10)).some((e) => e.action === 'user.setup' && e.actor === 'founder@acme.test')).toBe(true);
  });

  it('refuses every later setup with 409 conflict and sets no cookie', async () => {
    const kit = track(await emptyAdminKit());
    expect((await kit.client().req('POST', '/setup', FIRST)).status).toBe(200);
    const again = await kit.client().req('POST', '/setup', { email: 'intruder@evil.test', password: 'intruder-password' });
    expect([again.status, errorCode(again.body)]).toEqual([409, 'conflict']);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect((await kit.store.admin.users.list()).map((u) => u.email)).toEqual(['founder@acme.test']);
  });

  it('refuses setup on a server that already has accounts (e.g. from PARLEY_ADMIN_EMAIL)', async () => {
    const kit = track(await adminKit());
    expect((await kit.client().req('GET', '/setup')).body).toEqual({ ok: true, setupRequired: false });
    const r = await kit.client().req('POST', '/setup', { email: 'intruder@evil.test', password: 'intruder-password' });
    expect([r.status, errorCode(r.body)]).toEqual([409, 'conflict']);
    expect(await kit.store.admin.users.getByEmail('intruder@evil.test')).toBeNull();
    expect((await kit.client().login(OWNER)).status).toBe(200);
  });

  it('lets exactly one of two racing requests create the owner', async () => {
    const kit = track(await emptyAdminKit());
    const [a, b] = await Promise.all([
      kit.client().req('POST', '/setup', { email: 'a@acme.test', password: 'password-aaaa' }),
      kit.client().req('POST', '/setup', { email: 'b@acme.test', password: 'password-bbbb' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(errorCode((a.status === 409 ? a : b).body)).toBe('conflict');
    expect(await kit.store.admin.users.count()).toBe(1);
  });

  it('applies the CLI password rules and rejects malformed bodies without creating anyone', async () => {
    const kit = track(await emptyAdminKit());
    const short = await kit.client().req('POST', '/setup', { email: 'a@acme.test', password: 'short' });
    expect([short.status, errorCode(short.body)]).toEqual([400, 'invalid_payload']);
    expect((short.body as { error: { message: string } }).error.message).toMatch(/password.*8/);
    for (const bad of ['{"email": ', { email: 'not-an-email', password: 'long-enough-1' }, { password: 'long-enough-1' }, { email: 'a@acme.test', password: 'long-enough-1', name: '' }]) {
      const r = await kit.client().req('POST', '/setup', bad);
      expect([r.status, errorCode(r.body)]).toEqual([400, 'invalid_payload']);
    }
    expect(await kit.store.admin.users.count()).toBe(0);
    expect((await kit.client().req('GET', '/setup')).body).toEqual({ ok: true, setupRequired: true });
  });

  it('is rate limited like sign-in once attempts keep failing', async () => {
    const kit = track(await emptyAdminKit({ loginLimits: { windowMs: 60_000, perIp: 3, perEmail: 100 } }));
    for (let i = 0; i < 3; i++) expect((await kit.client().req('POST', '/setup', { email: `x${i}@acme.test`, password: 'short' })).status).toBe(400);
    const locked = await kit.client().req('POST', '/setup', FIRST);
    expect([locked.status, errorCode(locked.body)]).toEqual([429, 'rate_limited']);
    expect(await kit.store.admin.users.count()).toBe(0);
  });
});

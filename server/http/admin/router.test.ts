import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRouteTable } from './router.ts';
import { adminKit, AGENT, OWNER, type AdminKit, type Client } from './test-kit.ts';
import { storedPasswordColumn } from '../../store/review-fixtures.ts';

let kit: AdminKit;
let owner: Client;
let agent: Client;

beforeAll(async () => {
  kit = await adminKit();
  owner = await kit.signedIn(OWNER);
  agent = await kit.signedIn(AGENT);
});
afterAll(() => kit.close());

const concrete = (path: string) => path.replace(':flowId', 'nps').replace(':id', '12345');
const errorCode = (body: unknown) => (body as { error?: { code?: string } } | null)?.error?.code;

describe('every /api/admin route', () => {
  const routes = () => adminRouteTable(kit.svc).filter((r) => r.access !== 'public');

  it('has routes to check (the table is not empty)', () => {
    expect(routes().length).toBeGreaterThan(20);
  });

  it('leaves only sign-in and first-run setup public (the allow-list)', () => {
    const open = adminRouteTable(kit.svc).filter((r) => r.access === 'public').map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(open.sort()).toEqual(['GET /setup', 'POST /login', 'POST /setup']);
  });

  it('answers 401 unauthorized without a session', async () => {
    const anon = kit.client();
    for (const r of routes()) {
      const res = await anon.req(r.method.toUpperCase(), concrete(r.path), r.method === 'get' ? undefined : {});
      expect([r.method, r.path, res.status, errorCode(res.body)]).toEqual([r.method, r.path, 401, 'unauthorized']);
    }
  });

  it('answers 403 csrf to a state change without the session CSRF token, or with another session\'s', async () => {
    for (const r of routes().filter((x) => x.method !== 'get')) {
      const none = await owner.req(r.method.toUpperCase(), concrete(r.path), {}, { csrf: null });
      expect([r.method, r.path, none.status, errorCode(none.body)]).toEqual([r.method, r.path, 403, 'csrf']);
      const foreign = await owner.req(r.method.toUpperCase(), concrete(r.path), {}, { csrf: agent.csrf });
      expect([r.method, r.path, foreign.status, errorCode(foreign.body)]).toEqual([r.method, r.path, 403, 'csrf']);
    }
  });

  it('answers 403 forbidden to an agent on owner-only routes, and lets agents through the others', async () => {
    // logout last: it would end the agent's session for the routes after it
    const ordered = [...routes().filter((r) => r.path !== '/logout'), ...routes().filter((r) => r.path === '/logout')];
    for (const r of ordered) {
      const res = await agent.req(r.method.toUpperCase(), concrete(r.path), r.method === 'get' ? undefined : {});
      if (r.access === 'owner') expect([r.method, r.path, res.status, errorCode(res.body)]).toEqual([r.method, r.path, 403, 'forbidden']);
      else expect([r.method, r.path, res.status]).not.toEqual([r.method, r.path, 403]);
    }
  });

  it('opens nothing with a visitor token, as cookie or bearer', async () => {
    const { token } = await kit.store.visitors.create(kit.site.id, 'en');
    const visitor = kit.client();
    visitor.cookie = `parley_admin=${token}`;
    const viaCookie = await visitor.req('GET', '/conversations');
    expect(viaCookie.status).toBe(401);
    const viaBearer = await kit.client().req('GET', '/sites', undefined, { headers: { authorization: `Bearer ${token}` } });
    expect(viaBearer.status).toBe(401);
  });

  it('answers unknown admin paths with 401 before 404', async () => {
    expect((await kit.client().req('GET', '/nope')).status).toBe(401);
    expect((await owner.req('GET', '/nope')).status).toBe(404);
  });
});

describe('sign-in', () => {
  it('sets an HttpOnly SameSite session cookie and returns the CSRF token', async () => {
    const c = kit.client();
    const r = await c.login(OWNER);
    expect(r.status).toBe(200);
    const cookie = r.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^parley_admin=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=(Strict|Lax)/);
    // plain http here, so no Secure flag (the browser would drop the cookie)
    expect(cookie).not.toMatch(/Secure/);
    const s = await c.req('GET', '/session');
    expect(s.body).toMatchObject({ ok: true, user: { email: OWNER.email, role: 'owner' }, csrfToken: c.csrf });
  });

  it('refuses a wrong password and an unknown email the same way', async () => {
    const wrong = await kit.client().req('POST', '/login', { email: OWNER.email, password: 'nope-nope-nope' });
    const unknown = await kit.client().req('POST', '/login', { email: 'who@acme.test', password: 'nope-nope-nope' });
    expect([wrong.status, errorCode(wrong.body)]).toEqual([401, 'unauthorized']);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('rejects a malformed login body with invalid_payload', async () => {
    const r = await kit.client().req('POST', '/login', '{"email": 3');
    expect([r.status, errorCode(r.body)]).toEqual([400, 'invalid_payload']);
    const r2 = await kit.client().req('POST', '/login', { email: 'not-an-email' });
    expect([r2.status, errorCode(r2.body)]).toEqual([400, 'invalid_payload']);
  });

  it('logout ends the session', async () => {
    const c = await kit.signedIn(AGENT);
    expect((await c.req('POST', '/logout', {})).status).toBe(200);
    const after = await c.req('GET', '/session');
    expect([after.status, errorCode(after.body)]).toEqual([401, 'unauthorized']);
  });

  it('stores passwords only as scrypt hashes', () => {
    const stored = storedPasswordColumn(kit.db, OWNER.email) ?? '';
    expect(stored).toMatch(/^scrypt\$/);
    expect(stored).not.toContain(OWNER.password);
  });

  it('changing one\'s password needs the current one and signs out the other sessions', async () => {
    await kit.svc.accounts.create({ email: 'pw@acme.test', password: 'old-password-1', role: 'agent' }, null);
    const here = await kit.signedIn({ email: 'pw@acme.test', password: 'old-password-1' });
    const elsewhere = await kit.signedIn({ email: 'pw@acme.test', password: 'old-password-1' });
    const wrong = await here.req('POST', '/me/password', { currentPassword: 'guess-guess', newPassword: 'new-password-1' });
    expect([wrong.status, errorCode(wrong.body)]).toEqual([403, 'forbidden']);
    expect((await here.req('POST', '/me/password', { currentPassword: 'old-password-1', newPassword: 'new-password-1' })).status).toBe(200);
    expect((await here.req('GET', '/session')).status).toBe(200);
    expect((await elsewhere.req('GET', '/session')).status).toBe(401);
    expect((await kit.client().login({ email: 'pw@acme.test', password: 'new-password-1' })).status).toBe(200);
  });

  it('a disabled account loses its sessions and cannot sign in', async () => {
    const u = await kit.svc.accounts.create({ email: 'temp@acme.test', password: 'temp-password-1', role: 'agent' }, null);
    const c = await kit.signedIn({ email: 'temp@acme.test', password: 'temp-password-1' });
    const r = await owner.req('PATCH', `/users/${u.id}`, { disabled: true });
    expect(r.status).toBe(200);
    expect((await c.req('GET', '/session')).status).toBe(401);
    expect((await kit.client().login({ email: 'temp@acme.test', password: 'temp-password-1' })).status).toBe(401);
  });
});

describe('login rate limit', () => {
  it('locks an email after repeated failures, even for the right password', async () => {
    const k = await adminKit({ loginLimits: { windowMs: 60_000, perIp: 100, perEmail: 3 } });
    try {
      for (let i = 0; i < 3; i++) expect((await k.client().login({ email: AGENT.email, password: `wrong-${i}-xxxx` })).status).toBe(401);
      const locked = await k.client().login(AGENT);
      expect([locked.status, errorCode(locked.body)]).toEqual([429, 'rate_limited']);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      // another account from the same address is not locked by that
      expect((await k.client().login(OWNER)).status).toBe(200);
    } finally {
      await k.close();
    }
  });

  it('limits failures per client address across emails', async () => {
    const k = await adminKit({ loginLimits: { windowMs: 60_000, perIp: 3, perEmail: 100 } });
    try {
      for (let i = 0; i < 3; i++) await k.client().login({ email: `x${i}@acme.test`, password: 'wrong-wrong' });
      const r = await k.client().login(OWNER);
      expect(r.status).toBe(429);
    } finally {
      await k.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { openDb } from '../store/db.ts';
import { createStore } from '../store/index.ts';
import { sessionCookie } from './cookies.ts';
import { createSessionService, csrfMatches } from './sessions.ts';

const MIN = 60_000;

async function kit() {
  const store = createStore(openDb(':memory:'));
  const user = await store.admin.users.create({ email: 'a@b.test', name: 'A', role: 'agent', passwordHash: 'scrypt$x' });
  const sessions = createSessionService({ sessions: store.admin.sessions, users: store.admin.users }, { idleMs: 30 * MIN, absoluteMs: 120 * MIN });
  return { store, user, sessions };
}

describe('admin sessions', () => {
  it('expire after the idle time when unused', async () => {
    const { user, sessions } = await kit();
    const { token } = await sessions.create(user, { ip: null, userAgent: null }, 0);
    expect(await sessions.resolve(token, 29 * MIN)).not.toBeNull();
    // used at 29 min: slides to 59 min
    expect(await sessions.resolve(token, 58 * MIN)).not.toBeNull();
    expect(await sessions.resolve(token, 58 * MIN + 31 * MIN)).toBeNull();
    // and stays gone
    expect(await sessions.resolve(token, 0)).toBeNull();
  });

  it('end at the absolute limit however often they are used', async () => {
    const { user, sessions } = await kit();
    const { token } = await sessions.create(user, { ip: null, userAgent: null }, 0);
    for (let t = 10 * MIN; t < 120 * MIN; t += 10 * MIN) expect(await sessions.resolve(token, t)).not.toBeNull();
    expect(await sessions.resolve(token, 120 * MIN)).toBeNull();
  });

  it('store only a hash of the cookie value', async () => {
    const { user, sessions, store } = await kit();
    const { token, session } = await sessions.create(user, { ip: null, userAgent: null }, 0);
    expect(session.tokenHash).not.toBe(token);
    expect(await store.admin.sessions.get(token)).toBeNull();
    expect(await sessions.resolve(session.tokenHash, 1)).toBeNull();
  });

  it('bind the CSRF token to the session', async () => {
    const { user, sessions } = await kit();
    const a = (await sessions.create(user, { ip: null, userAgent: null })).session;
    const b = (await sessions.create(user, { ip: null, userAgent: null })).session;
    expect(csrfMatches(a, a.csrfToken)).toBe(true);
    expect(csrfMatches(a, b.csrfToken)).toBe(false);
    expect(csrfMatches(a, undefined)).toBe(false);
  });

  it('a disabled user\'s session resolves to nothing', async () => {
    const { user, sessions, store } = await kit();
    const { token } = await sessions.create(user, { ip: null, userAgent: null });
    await store.admin.users.update(user.id, { disabled: true });
    expect(await sessions.resolve(token)).toBeNull();
  });

  it('the cookie is Secure over https', () => {
    expect(sessionCookie('t', { secure: true, maxAgeMs: 1000 })).toMatch(/; Secure/);
    expect(sessionCookie('t', { secure: false, maxAgeMs: 1000 })).not.toMatch(/Secure/);
  });
});

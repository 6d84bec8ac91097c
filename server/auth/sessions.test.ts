import { describe, expect, it } from 'vitest';
import { openDb } from '../store/db.ts';
import { createStore } from '../store/index.ts';
import { sessionCookie } from './cookies.ts';
import { createSessionService, csrfMatches } from './sessions.ts';

const MIN = 60_000;

function kit() {
  const store = createStore(openDb(':memory:'));
  const user = store.admin.users.create({ email: 'a@b.test', name: 'A', role: 'agent', passwordHash: 'scrypt$x' });
  const sessions = createSessionService({ sessions: store.admin.sessions, users: store.admin.users }, { idleMs: 30 * MIN, absoluteMs: 120 * MIN });
  return { store, user, sessions };
}

describe('admin sessions', () => {
  it('expire after the idle time when unused', () => {
    const { user, sessions } = kit();
    const { token } = sessions.create(user, { ip: null, userAgent: null }, 0);
    expect(sessions.resolve(token, 29 * MIN)).not.toBeNull();
    // used at 29 min: slides to 59 min
    expect(sessions.resolve(token, 58 * MIN)).not.toBeNull();
    expect(sessions.resolve(token, 58 * MIN + 31 * MIN)).toBeNull();
    // and stays gone
    expect(sessions.resolve(token, 0)).toBeNull();
  });

  it('end at the absolute limit however often they are used', () => {
    const { user, sessions } = kit();
    const { token } = sessions.create(user, { ip: null, userAgent: null }, 0);
    for (let t = 10 * MIN; t < 120 * MIN; t += 10 * MIN) expect(sessions.resolve(token, t)).not.toBeNull();
    expect(sessions.resolve(token, 120 * MIN)).toBeNull();
  });

  it('store only a hash of the cookie value', () => {
    const { user, sessions, store } = kit();
    const { token, session } = sessions.create(user, { ip: null, userAgent: null }, 0);
    expect(session.tokenHash).not.toBe(token);
    expect(store.admin.sessions.get(token)).toBeNull();
    expect(sessions.resolve(session.tokenHash, 1)).toBeNull();
  });

  it('bind the CSRF token to the session', () => {
    const { user, sessions } = kit();
    const a = sessions.create(user, { ip: null, userAgent: null }).session;
    const b = sessions.create(user, { ip: null, userAgent: null }).session;
    expect(csrfMatches(a, a.csrfToken)).toBe(true);
    expect(csrfMatches(a, b.csrfToken)).toBe(false);
    expect(csrfMatches(a, undefined)).toBe(false);
  });

  it('a disabled user\'s session resolves to nothing', () => {
    const { user, sessions, store } = kit();
    const { token } = sessions.create(user, { ip: null, userAgent: null });
    store.admin.users.update(user.id, { disabled: true });
    expect(sessions.resolve(token)).toBeNull();
  });

  it('the cookie is Secure over https', () => {
    expect(sessionCookie('t', { secure: true, maxAgeMs: 1000 })).toMatch(/; Secure/);
    expect(sessionCookie('t', { secure: false, maxAgeMs: 1000 })).not.toMatch(/Secure/);
  });
});

import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, fakeLive } from '../test-support/fake-server.ts';
import { owner } from '../test-support/fixtures.ts';
import { App } from '../shell/app.tsx';
import { SetupScreen } from './setup-screen.tsx';

afterEach(cleanup);

const noSession = { status: 401, body: { ok: false, error: { code: 'unauthorized', message: 'sign in' } } };
const session = { ok: true, user: { ...owner, email: 'fay@acme.test' }, csrfToken: 'tok', expiresAt: 0, absoluteExpiresAt: 0 };

function fill(values: { email?: string; name?: string; password?: string; confirm?: string }) {
  if (values.email !== undefined) fireEvent.input(screen.getByLabelText('Email'), { target: { value: values.email } });
  if (values.name !== undefined) fireEvent.input(screen.getByLabelText('Name'), { target: { value: values.name } });
  if (values.password !== undefined) fireEvent.input(screen.getByLabelText('Password'), { target: { value: values.password } });
  if (values.confirm !== undefined) fireEvent.input(screen.getByLabelText('Confirm password'), { target: { value: values.confirm } });
}

describe('first-run setup', () => {
  it('offers "Create the owner account" instead of sign-in on a fresh install, then lands in the app', async () => {
    const { api, requests } = fakeApi({
      'GET /session': noSession,
      'GET /setup': { body: { ok: true, setupRequired: true } },
      'POST /setup': { body: session },
      'GET /sites': { body: { ok: true, sites: [] } },
      'GET /conversations': { body: { ok: true, items: [], nextCursor: null } },
    });
    render(<App api={api} connectLive={() => fakeLive().live} onUnauthorized={() => undefined} />);
    expect(await screen.findByRole('heading', { name: 'Create the owner account' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Sign in' })).toBeNull();
    fill({ email: ' Fay@Acme.test ', name: 'Fay', password: 'founder-password', confirm: 'founder-password' });
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByRole('heading', { name: 'Overview' })).toBeTruthy();
    expect(screen.getByRole('navigation', { name: 'Main' }).textContent).toContain('fay@acme.test');
    expect(requests.find((r) => r.method === 'POST' && r.path === '/setup')?.body).toEqual({ email: 'Fay@Acme.test', name: 'Fay', password: 'founder-password' });
  });

  it('shows sign-in, not setup, when accounts exist', async () => {
    const { api } = fakeApi({ 'GET /session': noSession, 'GET /setup': { body: { ok: true, setupRequired: false } } });
    render(<App api={api} connectLive={() => fakeLive().live} onUnauthorized={() => undefined} />);
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Create the owner account' })).toBeNull();
  });

  it('checks the password length and the confirmation before sending anything', async () => {
    const { api, requests } = fakeApi({});
    render(<SetupScreen api={api} onSignedIn={() => undefined} onAlreadySetUp={() => undefined} />);
    fill({ email: 'fay@acme.test', password: 'short', confirm: 'short' });
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The password needs at least 8 characters.');
    fill({ password: 'founder-password', confirm: 'founder-passwort' });
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The two passwords do not match.');
    expect(requests).toHaveLength(0);
  });

  it('sends no empty name, and offers sign-in when someone else created the owner first', async () => {
    let signIn = false;
    const { api, requests } = fakeApi({
      'POST /setup': { status: 409, body: { ok: false, error: { code: 'conflict', message: 'This Parley already has an owner; sign in instead.' } } },
    });
    render(<SetupScreen api={api} onSignedIn={() => undefined} onAlreadySetUp={() => (signIn = true)} />);
    fill({ email: 'fay@acme.test', name: '  ', password: 'founder-password', confirm: 'founder-password' });
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect((await screen.findByRole('alert')).textContent).toBe('An owner account already exists. Sign in with it instead.');
    expect(requests[0]?.body).toEqual({ email: 'fay@acme.test', password: 'founder-password' });
    fireEvent.click(screen.getByRole('button', { name: 'Go to sign in' }));
    expect(signIn).toBe(true);
  });
});

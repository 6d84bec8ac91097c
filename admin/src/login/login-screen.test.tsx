import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, fakeLive } from '../test-support/fake-server.ts';
import { owner } from '../test-support/fixtures.ts';
import { App } from '../shell/app.tsx';
import { LoginScreen } from './login-screen.tsx';

afterEach(cleanup);

describe('login', () => {
  it('says so when the email and password do not match', async () => {
    const { api, requests } = fakeApi({
      'POST /login': { status: 401, body: { ok: false, error: { code: 'unauthorized', message: 'wrong email or password' } } },
    });
    render(<LoginScreen api={api} onSignedIn={() => undefined} />);
    fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'ana@acme.test' } });
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'not it' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('That email and password do not match an account.');
    expect(requests[0]?.body).toEqual({ email: 'ana@acme.test', password: 'not it' });
  });

  it('shows the login screen without a session, and the app after signing in', async () => {
    const session = { ok: true, user: owner, csrfToken: 'tok', expiresAt: 0, absoluteExpiresAt: 0 };
    const { api } = fakeApi({
      'GET /session': { status: 401, body: { ok: false, error: { code: 'unauthorized', message: 'sign in' } } },
      'POST /login': { body: session },
      'GET /sites': { body: { ok: true, sites: [] } },
      'GET /conversations': { body: { ok: true, items: [], nextCursor: null } },
    });
    render(<App api={api} connectLive={() => fakeLive().live} onUnauthorized={() => undefined} />);
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'ana@acme.test' } });
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'correct horse' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Overview' })).toBeTruthy();
    expect(screen.getByRole('navigation', { name: 'Main' }).textContent).toContain('ana@acme.test');
  });
});

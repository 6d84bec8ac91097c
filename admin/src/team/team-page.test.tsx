import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, fakeLive } from '../test-support/fake-server.ts';
import { owner } from '../test-support/fixtures.ts';
import { renderWithApp } from '../test-support/render-app.tsx';
import { TeamPage } from './team-page.tsx';

afterEach(cleanup);

const agent = { ...owner, id: 'u2', email: 'sam@acme.test', name: 'Sam', role: 'agent' as const };

describe('team', () => {
  it('lists people, disables an agent and adds one', async () => {
    const { api, requests } = fakeApi({
      'GET /users': { body: { ok: true, users: [owner, agent] } },
      'PATCH /users/u2': { body: { ok: true, user: { ...agent, disabled: true } } },
      'POST /users': (req) => ({ body: { ok: true, user: { ...agent, id: 'u3', email: (req.body as { email: string }).email, name: 'Kim' } } }),
    });
    renderWithApp(<TeamPage />, api, fakeLive().live);
    const row = (await screen.findByText('sam@acme.test')).closest('tr') as HTMLElement;
    // you cannot lock yourself out: no disable button on your own row
    const own = screen.getByText('ana@acme.test').closest('tr') as HTMLElement;
    expect(within(own).queryByRole('button', { name: 'Disable' })).toBeNull();

    fireEvent.click(within(row).getByRole('button', { name: 'Disable' }));
    await waitFor(() => expect(within(row).getByText('Disabled')).toBeTruthy());
    expect(requests.find((r) => r.method === 'PATCH')?.body).toEqual({ disabled: true });

    const form = screen.getByRole('form', { name: 'Add a person' });
    fireEvent.input(within(form).getByLabelText('Email'), { target: { value: 'kim@acme.test' } });
    fireEvent.input(within(form).getByLabelText(/First password/), { target: { value: 'a long secret' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add person' }));
    expect(await screen.findByText('kim@acme.test')).toBeTruthy();
    expect(requests.find((r) => r.method === 'POST')?.body).toMatchObject({ email: 'kim@acme.test', password: 'a long secret', role: 'agent' });
  });
});

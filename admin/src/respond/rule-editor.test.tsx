import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { Rule } from '../../../shared/rules.ts';
import { fakeApi, fakeLive } from '../test-support/fake-server.ts';
import { site } from '../test-support/fixtures.ts';
import { renderWithApp } from '../test-support/render-app.tsx';
import { RulesPage } from './rules-page.tsx';

afterEach(cleanup);

const saved: Rule = {
  id: 'r1',
  siteId: 's1',
  position: 0,
  createdAt: 1,
  updatedAt: 1,
  name: 'Angry detractor',
  enabled: true,
  match: 'all',
  conditions: [{ type: 'nps', categories: ['detractor'] }],
  actions: [{ type: 'open_follow_up', dueInHours: 24 }],
};

function setup(routes: Parameters<typeof fakeApi>[0] = {}) {
  const fake = fakeApi({
    'GET /sites': { body: { ok: true, sites: [site] } },
    'GET /sites/s1/rules': { body: { ok: true, rules: [] } },
    'GET /teams': { body: { ok: true, teams: [{ id: 't1', name: 'Escalations', memberIds: [], siteIds: ['s1'], createdAt: 1 }] } },
    'GET /users': { body: { ok: true, users: [] } },
    'GET /sites/s1/webhooks': { body: { ok: true, endpoints: [{ id: 'w1', name: 'Slack #support' }] } },
    ...routes,
  });
  renderWithApp(<RulesPage siteId="s1" />, fake.api, fakeLive().live);
  return fake;
}

const errorOf = (input: HTMLElement) => {
  const id = input.getAttribute('aria-describedby');
  return id ? document.getElementById(id)?.textContent : undefined;
};

describe('rule editor', () => {
  it('shows each validation error at its field and sends nothing until the rule is valid', async () => {
    const { requests } = setup({ 'POST /sites/s1/rules': { body: { ok: true, rule: saved } } });
    fireEvent.click(await screen.findByRole('button', { name: 'New rule' }));
    const form = (await screen.findByRole('button', { name: 'Save rule' })).closest('form') as HTMLElement;

    // condition 1: a rating range with neither end; action 1: a follow-up due in "soon"
    fireEvent.change(within(form).getByLabelText('Condition 1'), { target: { value: 'rating' } });
    fireEvent.change(within(form).getByLabelText('Action 1'), { target: { value: 'open_follow_up' } });
    fireEvent.input(within(form).getByLabelText('Due in (hours)'), { target: { value: 'soon' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add action' }));
    fireEvent.change(within(form).getByLabelText('Action 2'), { target: { value: 'notify_email' } });
    fireEvent.input(within(form).getByLabelText('E-mail address'), { target: { value: 'not-an-address' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save rule' }));

    const name = within(form).getByLabelText('Name');
    await waitFor(() => expect(name.getAttribute('aria-invalid')).toBe('true'));
    expect(errorOf(name)).toBe('required');
    expect(errorOf(within(form).getByLabelText('From'))).toBe('give a minimum or a maximum');
    expect(errorOf(within(form).getByLabelText('Due in (hours)'))).toBe('a number');
    expect(errorOf(within(form).getByLabelText('E-mail address'))).toBe('a valid e-mail address');
    expect(within(form).getByLabelText('To').getAttribute('aria-invalid')).toBeNull();
    expect(requests.some((r) => r.method === 'POST')).toBe(false);

    // fixed: the rule goes out as the shared schema shapes it
    fireEvent.input(name, { target: { value: 'Low rating, call back' } });
    fireEvent.input(within(form).getByLabelText('To'), { target: { value: '6' } });
    fireEvent.input(within(form).getByLabelText('Due in (hours)'), { target: { value: '24' } });
    fireEvent.input(within(form).getByLabelText('E-mail address'), { target: { value: 'leads@acme.test' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save rule' }));
    await waitFor(() => expect(requests.some((r) => r.method === 'POST')).toBe(true));
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({
      name: 'Low rating, call back',
      enabled: true,
      match: 'all',
      conditions: [{ type: 'rating', ratingType: 'any', max: 6 }],
      actions: [
        { type: 'open_follow_up', dueInHours: 24 },
        { type: 'notify_email', to: 'leads@acme.test' },
      ],
    });
  });

  it('shows an error the server found at the field it names', async () => {
    setup({
      'GET /sites/s1/rules': { body: { ok: true, rules: [saved] } },
      'PUT /rules/r1': {
        status: 400,
        body: { ok: false, error: { code: 'invalid_payload', message: 'actions.0.endpointId: no such webhook endpoint on this site', issues: [{ path: 'actions.0.endpointId', message: 'no such webhook endpoint on this site' }] } },
      },
    });
    expect(await screen.findByText(/Angry detractor/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    const form = (await screen.findByRole('button', { name: 'Save rule' })).closest('form') as HTMLElement;
    expect((within(form).getByLabelText('Name') as HTMLInputElement).value).toBe('Angry detractor');
    fireEvent.change(within(form).getByLabelText('Action 1'), { target: { value: 'notify_webhook' } });
    fireEvent.change(within(form).getByLabelText('Endpoint'), { target: { value: 'w1' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save rule' }));
    const endpoint = within(form).getByLabelText('Endpoint');
    await waitFor(() => expect(errorOf(endpoint)).toBe('no such webhook endpoint on this site'));
  });
});

import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, fakeLive } from '../test-support/fake-server.ts';
import { site } from '../test-support/fixtures.ts';
import { renderWithApp } from '../test-support/render-app.tsx';
import { SitesPage } from './sites-page.tsx';
import { SitePage } from './site-page.tsx';

afterEach(cleanup);

describe('sites', () => {
  it('creates a site and shows its snippet and API token once', async () => {
    const created = { ...site, id: 's9', key: 'new-shop', name: 'New Shop', snippet: '<script async src="https://p.test/widget.js" data-site="new-shop"></script>' };
    const { api, requests } = fakeApi({
      'GET /sites': { body: { ok: true, sites: [site] } },
      'POST /sites': { body: { ok: true, site: created, apiToken: 'tok_once_123' } },
    });
    renderWithApp(<SitesPage />, api, fakeLive().live);
    await screen.findByText('Acme Shop');
    fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'New Shop' } });
    fireEvent.input(screen.getByLabelText('Allowed origins, one per line'), { target: { value: 'https://new.test/\nhttp://localhost:*' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create site' }));

    const ready = await screen.findByRole('region', { name: 'New Shop is ready' });
    expect(within(ready).getByLabelText('Embed snippet').textContent).toBe(created.snippet);
    expect(within(ready).getByText('tok_once_123')).toBeTruthy();
    expect(within(ready).getByRole('button', { name: 'Copy' })).toBeTruthy();
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ name: 'New Shop', allowedOrigins: ['https://new.test', 'http://localhost:*'] });
    expect(requests.find((r) => r.method === 'POST')?.headers['x-csrf-token']).toBe('csrf-test');
  });

  it('saves settings: origins, colour, greeting, idle timeout, retention and topics', async () => {
    const { api, requests } = fakeApi({
      'GET /sites': { body: { ok: true, sites: [site] } },
      'GET /sites/s1/flows': { body: { ok: true, flows: [{ id: 'nps', kind: 'survey', name: 'NPS' }, { id: 'support', kind: 'support', name: 'Support' }] } },
      'GET /canned': { body: { ok: true, canned: [] } },
      'PATCH /sites/s1': { body: { ok: true, site } },
    });
    renderWithApp(<SitePage id="s1" />, api, fakeLive().live);
    await screen.findByRole('heading', { name: 'Acme Shop' });
    fireEvent.input(screen.getByLabelText(/Allowed origins/), { target: { value: 'https://acme.test\nhttps://www.acme.test' } });
    fireEvent.input(screen.getByLabelText('Colour'), { target: { value: '#0f766e' } });
    fireEvent.input(screen.getByLabelText('Greeting'), { target: { value: 'Hi there!' } });
    fireEvent.input(screen.getByLabelText('Idle timeout (minutes)'), { target: { value: '15' } });
    fireEvent.input(screen.getByLabelText(/Keep transcripts/), { target: { value: '90' } });
    await waitFor(() => expect(screen.getByRole('option', { name: 'Support (support)' })).toBeTruthy());
    fireEvent.change(screen.getByLabelText('Default flow'), { target: { value: 'support' } });
    fireEvent.click(screen.getByRole('button', { name: 'Remove topic Price' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));

    await screen.findByText('Saved');
    const body = requests.find((r) => r.method === 'PATCH')?.body;
    expect(body).toMatchObject({
      allowedOrigins: ['https://acme.test', 'https://www.acme.test'],
      greeting: 'Hi there!',
      settings: { color: '#0f766e', idleTimeoutMinutes: 15, retentionDays: 90, defaultFlow: 'support', topics: [{ name: 'Delivery' }] },
    });
  });

  it('rotates the API token and shows the new one once', async () => {
    const { api } = fakeApi({
      'GET /sites': { body: { ok: true, sites: [{ ...site, hasApiToken: false }] } },
      'GET /sites/s1/flows': { body: { ok: true, flows: [] } },
      'GET /canned': { body: { ok: true, canned: [] } },
      'POST /sites/s1/token': { body: { ok: true, apiToken: 'tok_new_456' } },
    });
    renderWithApp(<SitePage id="s1" />, api, fakeLive().live);
    fireEvent.click(await screen.findByRole('button', { name: 'Create API token' }));
    expect(await screen.findByText('tok_new_456')).toBeTruthy();
    expect(screen.getByText('Copy this token now; it is not shown again.')).toBeTruthy();
  });
});

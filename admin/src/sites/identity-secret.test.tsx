import { cleanup, fireEvent, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, fakeLive } from '../test-support/fake-server.ts';
import { site } from '../test-support/fixtures.ts';
import { renderWithApp } from '../test-support/render-app.tsx';
import { SitePage } from './site-page.tsx';

afterEach(cleanup);

describe('identity verification in the site settings', () => {
  it('an owner shows the identity secret and rotates it', async () => {
    const { api, requests } = fakeApi({
      'GET /sites': { body: { ok: true, sites: [site] } },
      'GET /sites/s1/flows': { body: { ok: true, flows: [] } },
      'GET /canned': { body: { ok: true, canned: [] } },
      'GET /sites/s1/identity-secret': { body: { ok: true, identitySecret: 'a1'.repeat(32) } },
      'POST /sites/s1/identity-secret': { body: { ok: true, identitySecret: 'b2'.repeat(32) } },
    });
    vi.stubGlobal('confirm', () => true);
    renderWithApp(<SitePage id="s1" />, api, fakeLive().live);
    await screen.findByRole('heading', { name: 'Identity verification' });
    expect(screen.queryByText('a1'.repeat(32))).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Show identity secret' }));
    expect(await screen.findByText('a1'.repeat(32))).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Rotate identity secret' }));
    expect(await screen.findByText('b2'.repeat(32))).toBeTruthy();
    expect(requests.filter((r) => r.path.includes('identity-secret')).map((r) => r.method)).toEqual(['GET', 'POST']);
    vi.unstubAllGlobals();
  });
});

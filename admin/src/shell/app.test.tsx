import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, fakeLive } from '../test-support/fake-server.ts';
import { owner, site } from '../test-support/fixtures.ts';
import { App } from './app.tsx';

afterEach(cleanup);

describe('app shell', () => {
  it('says in the navigation how many visitors wait for a person, from any screen', async () => {
    location.hash = '#/jobs';
    const { api } = fakeApi({
      'GET /session': { body: { ok: true, user: owner, csrfToken: 't', expiresAt: 0, absoluteExpiresAt: 0 } },
      'GET /sites': { body: { ok: true, sites: [site] } },
      'GET /jobs': { body: { ok: true, jobs: [] } },
    });
    const live = fakeLive();
    render(<App api={api} connectLive={() => live.live} onUnauthorized={() => undefined} />);
    await screen.findByRole('heading', { name: 'Jobs' });
    await waitFor(() => expect(live.calls.some((c) => c.method === 'subscribeSite')).toBe(true));

    live.push('site:s1', { type: 'handoff', siteId: 's1', conversationId: 'c7' });
    const nav = screen.getByRole('navigation', { name: 'Main' });
    await waitFor(() => expect(nav.textContent).toContain('1 waiting'));
    await waitFor(() => expect(document.title).toBe('(1) Jobs · Parley'));

    live.push('site:s1', {
      type: 'updated',
      siteId: 's1',
      conversationId: 'c7',
      conversation: { id: 'c7', flowId: 'support', status: 'open', mode: 'human', agentName: 'Ana', startedAt: 1, endedAt: null, endReason: null },
    });
    await waitFor(() => expect(nav.textContent).not.toContain('waiting'));
    location.hash = '';
  });
});

import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { FollowUpItem } from '../../../shared/respond.ts';
import { App } from '../shell/app.tsx';
import { fakeApi, fakeLive } from '../test-support/fake-server.ts';
import { owner, site } from '../test-support/fixtures.ts';
import { renderWithApp } from '../test-support/render-app.tsx';
import { InboxPage } from './inbox-page.tsx';

afterEach(cleanup);

const NOW = Date.UTC(2026, 2, 14, 12, 0);
const H = 3_600_000;
const item = (over: Partial<FollowUpItem>): FollowUpItem => ({
  conversationId: 'c',
  siteId: 's1',
  status: 'open',
  urgency: 'medium',
  priority: 'normal',
  dueAt: null,
  openedAt: NOW - 2 * H,
  startedAt: NOW - 3 * H,
  assignee: null,
  teamId: null,
  visitorName: null,
  reason: null,
  preview: null,
  sla: 'none',
  ...over,
});

const items = [
  item({ conversationId: 'c1', visitorName: 'Lena Hoffmann', urgency: 'critical', priority: 'urgent', dueAt: NOW - 2 * H, sla: 'overdue', reason: 'Wants a refund for the broken blender' }),
  item({ conversationId: 'c2', visitorName: 'Marc Dubois', urgency: 'high', dueAt: NOW + 2 * H, sla: 'due_soon', assignee: { id: owner.id, name: owner.name } }),
  item({ conversationId: 'c3', visitorName: null, urgency: null, dueAt: NOW + 30 * H, sla: 'ok', preview: '¿Dónde está mi pedido 4471?' }),
];

describe('follow-ups inbox', () => {
  it('lists open follow-ups in the server order with SLA colouring, due and age; "assigned to me" narrows', async () => {
    const { api, requests } = fakeApi({
      'GET /sites': { body: { ok: true, sites: [site] } },
      'GET /follow-ups': (req) => ({ body: { ok: true, items: req.query.get('mine') === 'true' ? [items[1]] : items } }),
    });
    renderWithApp(<InboxPage now={() => NOW} />, api, fakeLive().live);
    const table = await screen.findByRole('table');
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(4));
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-sla'))).toEqual(['overdue', 'due_soon', 'ok']);
    expect(rows[0]!.className).toContain('sla-overdue');
    expect(rows[0]!.textContent).toContain('Lena Hoffmann');
    expect(rows[0]!.textContent).toContain('2 h overdue');
    expect(rows[0]!.textContent).toContain('Critical');
    expect(rows[0]!.textContent).toContain('Urgent priority');
    expect(rows[1]!.textContent).toContain('in 2 h');
    expect(rows[1]!.textContent).toContain('Due soon');
    expect(rows[1]!.textContent).toContain('You');
    expect(rows[2]!.textContent).toContain('Anonymous visitor');
    expect(rows[2]!.textContent).toContain('¿Dónde está mi pedido 4471?');
    expect(within(rows[0]!).getByRole('link').getAttribute('href')).toBe('#/conversations/c1');

    fireEvent.click(screen.getByLabelText('Assigned to me'));
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(2));
    expect(requests.filter((r) => r.path === '/follow-ups').at(-1)?.query.get('mine')).toBe('true');
  });

  it('keeps a live count of open and overdue follow-ups in the sidebar', async () => {
    location.hash = '#/jobs';
    let count = { open: 1, mine: 0, overdue: 0 };
    const { api } = fakeApi({
      'GET /session': { body: { ok: true, user: owner, csrfToken: 't', expiresAt: 0, absoluteExpiresAt: 0 } },
      'GET /sites': { body: { ok: true, sites: [site] } },
      'GET /jobs': { body: { ok: true, jobs: [] } },
      'GET /follow-ups/count': () => ({ body: { ok: true, ...count } }),
    });
    const live = fakeLive();
    render(<App api={api} connectLive={() => live.live} onUnauthorized={() => undefined} />);
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    await waitFor(() => expect(nav.textContent).toContain('1 open'));
    await waitFor(() => expect(live.calls.filter((c) => c.method === 'subscribeSite').length).toBeGreaterThan(1));

    count = { open: 3, mine: 1, overdue: 1 };
    live.push('site:s1', { type: 'follow-ups', siteId: 's1', conversationId: 'c9' });
    await waitFor(() => expect(nav.textContent).toContain('3 open · 1 overdue'));
    location.hash = '';
  });
});

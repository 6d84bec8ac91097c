import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, fakeLive } from '../test-support/fake-server.ts';
import { site, summary } from '../test-support/fixtures.ts';
import { renderWithApp } from '../test-support/render-app.tsx';
import { ConversationsPage } from './conversations-page.tsx';

afterEach(cleanup);

function setup() {
  const page1 = [summary(), summary({ id: 'c2', visitorName: 'Lee Chen', preview: 'Great service', npsCategory: 'promoter', rating: { type: 'nps', value: 10, scaleMax: 10 }, sentiment: { label: 'positive', score: 0.8 }, followUpNeeded: false, followUpStatus: 'none' })];
  const page2 = [summary({ id: 'c3', visitorName: 'Old Timer', preview: 'From last year' })];
  const server = fakeApi({
    'GET /sites': { body: { ok: true, sites: [site] } },
    'GET /sites/s1/flows': { body: { ok: true, flows: [{ id: 'nps', kind: 'survey', name: 'NPS' }] } },
    'GET /conversations': (req) => ({
      body: req.query.get('cursor') === 'next-1' ? { ok: true, items: page2, nextCursor: null } : { ok: true, items: page1, nextCursor: 'next-1' },
    }),
  });
  const live = fakeLive();
  renderWithApp(<ConversationsPage />, server.api, live.live);
  const listCalls = () => server.requests.filter((r) => r.path === '/conversations');
  return { server, live, listCalls };
}

describe('conversation list', () => {
  it('shows a row per conversation with its rating, analysis and follow-up', async () => {
    setup();
    const row = (await screen.findByText('Dana Miller')).closest('tr');
    expect(row).not.toBeNull();
    const cells = within(row as HTMLElement);
    expect(cells.getByText('The parcel arrived two weeks late')).toBeTruthy();
    expect(cells.getByText('NPS 3/10')).toBeTruthy();
    expect(cells.getByText('Detractor')).toBeTruthy();
    expect(cells.getByText('Negative')).toBeTruthy();
    expect(cells.getByText('Delivery')).toBeTruthy();
    expect(cells.getByText('Needed')).toBeTruthy();
    expect(screen.getByText('Lee Chen')).toBeTruthy();
    expect(screen.getByRole('link', { name: /Dana Miller/ }).getAttribute('href')).toBe('#/conversations/c1');
  });

  it('sends the chosen filters to the API', async () => {
    const { listCalls } = setup();
    await screen.findByText('Dana Miller');
    fireEvent.change(screen.getByLabelText('NPS category'), { target: { value: 'detractor' } });
    await waitFor(() => expect(listCalls().at(-1)?.query.get('nps')).toBe('detractor'));
    fireEvent.change(screen.getByLabelText('Sentiment'), { target: { value: 'negative' } });
    fireEvent.change(screen.getByLabelText('Follow-up'), { target: { value: 'needed' } });
    fireEvent.change(screen.getByLabelText('Minimum rating'), { target: { value: '0' } });
    fireEvent.change(screen.getByLabelText('Maximum rating'), { target: { value: '6' } });
    fireEvent.input(screen.getByRole('searchbox', { name: 'Search transcripts' }), { target: { value: 'late parcel' } });
    fireEvent.submit(screen.getByRole('search'));
    await waitFor(() => expect(listCalls().at(-1)?.query.get('q')).toBe('late parcel'));
    const q = listCalls().at(-1)?.query;
    expect(q?.get('nps')).toBe('detractor');
    expect(q?.get('sentiment')).toBe('negative');
    expect(q?.get('followUpNeeded')).toBe('true');
    expect(q?.get('ratingMin')).toBe('0');
    expect(q?.get('ratingMax')).toBe('6');
  });

  it('puts the filters into the export links', async () => {
    setup();
    await screen.findByText('Dana Miller');
    fireEvent.change(screen.getByLabelText('NPS category'), { target: { value: 'detractor' } });
    await waitFor(() => expect(screen.getByRole('link', { name: 'CSV' }).getAttribute('href')).toContain('nps=detractor'));
    expect(screen.getByRole('link', { name: 'CSV' }).getAttribute('href')).toContain('/api/admin/conversations/export?');
    expect(screen.getByRole('link', { name: 'CSV' }).getAttribute('href')).toContain('format=csv');
    expect(screen.getByRole('link', { name: 'JSON' }).getAttribute('href')).toContain('format=json');
  });

  it('loads the next page with the cursor and appends it', async () => {
    const { listCalls } = setup();
    await screen.findByText('Dana Miller');
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('Old Timer')).toBeTruthy();
    expect(listCalls().at(-1)?.query.get('cursor')).toBe('next-1');
    expect(screen.getByText('Dana Miller')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('adds a conversation that starts while the list is open', async () => {
    const { live, server } = setup();
    await screen.findByText('Dana Miller');
    await waitFor(() => expect(live.calls.some((c) => c.method === 'subscribeSite')).toBe(true));
    const fresh = summary({ id: 'c9', visitorName: 'New Visitor', status: 'open', preview: 'Hello?' });
    server.requests.length = 0;
    // from now on the first page starts with the new conversation
    const first = [fresh, summary()];
    server.routes['GET /conversations'] = { body: { ok: true, items: first, nextCursor: null } };
    live.push('site:s1', {
      type: 'started',
      siteId: 's1',
      conversationId: 'c9',
      conversation: { id: 'c9', flowId: 'support', status: 'open', mode: 'bot', agentName: null, startedAt: 1, endedAt: null, endReason: null },
    });
    expect(await screen.findByText('New Visitor', {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.getAllByRole('row')[1]?.textContent).toContain('New Visitor');
  });

  it('updates a live row when the site feed reports a take-over', async () => {
    const { live } = setup();
    await screen.findByText('Dana Miller');
    await waitFor(() => expect(live.calls.some((c) => c.method === 'subscribeSite' && c.args[0] === 's1')).toBe(true));
    live.push('site:s1', {
      type: 'updated',
      siteId: 's1',
      conversationId: 'c2',
      conversation: { id: 'c2', flowId: 'nps', status: 'open', mode: 'human', agentName: 'Ana', startedAt: 1, endedAt: null, endReason: null },
    });
    const row = (await screen.findByText('Lee Chen')).closest('tr') as HTMLElement;
    await waitFor(() => expect(within(row).getByText('Live · agent')).toBeTruthy());
  });
});

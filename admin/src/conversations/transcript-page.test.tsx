import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConversationDetail } from '../api/types.ts';
import { fakeApi, fakeLive } from '../test-support/fake-server.ts';
import { detail, message, site, summary } from '../test-support/fixtures.ts';
import { renderWithApp } from '../test-support/render-app.tsx';
import { TranscriptPage } from './transcript-page.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function setup(d: ConversationDetail = detail()) {
  const server = fakeApi({
    'GET /conversations/c1': { body: { ok: true, ...d } },
    'GET /sites': { body: { ok: true, sites: [site] } },
    'GET /canned': {
      body: { ok: true, canned: [{ id: 7, siteId: 's1', shortcut: 'sorry', title: 'Apology', text: 'Sorry about that, {{visitor.name}}!', createdAt: 1, updatedAt: 1 }] },
    },
    'DELETE /visitors/v1': { body: { ok: true, visitorId: 'v1', conversations: 2, messages: 9 } },
    'PUT /conversations/c1/follow-up': (req) => ({ body: { ok: true, conversation: summary({ followUpStatus: (req.body as { status: 'done' }).status }) } }),
    'POST /conversations/c1/notes': (req) => ({
      body: { ok: true, note: { id: 1, conversationId: 'c1', authorId: 'u1', authorName: 'Ana', text: (req.body as { text: string }).text, createdAt: 5 } },
    }),
  });
  const live = fakeLive();
  renderWithApp(<TranscriptPage id="c1" />, server.api, live.live);
  return { server, live };
}

describe('transcript view', () => {
  it('shows the messages as the visitor saw them, by author', async () => {
    setup();
    const transcript = await screen.findByRole('list', { name: 'Transcript' });
    const items = within(transcript).getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('.bubble')?.textContent)).toEqual([
      'How likely are you to recommend Acme to a friend?',
      '3',
      'Sorry to hear that. What went wrong?',
      'The parcel arrived two weeks late',
    ]);
    expect(items[1]?.className).toContain('visitor');
    expect(items[0]?.className).toContain('bot');
    // the negative visitor message carries its sentiment mark
    expect(within(items[3] as HTMLElement).getByRole('img', { name: /Sentiment negative/ })).toBeTruthy();
  });

  it('shows the extraction beside the transcript', async () => {
    setup();
    const panel = await screen.findByRole('region', { name: 'Analysis' });
    const p = within(panel);
    expect(p.getByText('Customer unhappy about a parcel that arrived two weeks late.')).toBeTruthy();
    expect(p.getByText('Detractor')).toBeTruthy();
    expect(p.getByText('Negative')).toBeTruthy();
    expect(p.getByText('Delivery')).toBeTruthy();
    expect(p.getByText('Delivery within 3 days')).toBeTruthy();
    expect(p.getByText('Not met')).toBeTruthy();
    expect(p.getByText('Asked for a refund of the shipping cost')).toBeTruthy();
    expect(p.getByRole('link', { name: 'dana@example.test' })).toBeTruthy();
    expect(p.getByText('3')).toBeTruthy();
  });

  it('renders visitor text that looks like HTML as plain text', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    setup(detail({ messages: [message(1, 'visitor', evil)], conversation: summary({ preview: evil }) }));
    const bubble = await screen.findByText(evil);
    expect(bubble.textContent).toBe(evil);
    expect(document.querySelector('img')).toBeNull();
  });

  it('takes over a live chat, sends as a person and hands back', async () => {
    const { live } = setup(detail({ conversation: summary({ status: 'open', endedAt: null, endReason: null }), extraction: null }));
    fireEvent.click(await screen.findByRole('button', { name: 'Take over' }));
    await waitFor(() => expect(live.calls.map((c) => c.method)).toContain('takeOver'));
    expect(live.calls.find((c) => c.method === 'takeOver')?.args).toEqual(['c1']);

    const box = await screen.findByRole('textbox', { name: 'Message to the visitor' });
    fireEvent.input(box, { target: { value: 'Hi Dana, I am looking into it.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(live.calls.find((c) => c.method === 'send')?.args).toEqual(['c1', 'Hi Dana, I am looking into it.']));

    fireEvent.click(screen.getByRole('button', { name: 'Hand back to bot' }));
    await waitFor(() => expect(live.calls.find((c) => c.method === 'handBack')?.args).toEqual(['c1']));
    expect(await screen.findByRole('button', { name: 'Take over' })).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'Message to the visitor' })).toBeNull();
  });

  it('fills a canned response with the visitor name', async () => {
    setup(detail({ conversation: summary({ status: 'open', mode: 'human', agentName: 'Ana' }) }));
    const select = await screen.findByLabelText('Canned response');
    await waitFor(() => expect(within(select).getByRole('option', { name: /Apology/ })).toBeTruthy());
    fireEvent.change(select, { target: { value: '7' } });
    expect((screen.getByRole('textbox', { name: 'Message to the visitor' }) as HTMLTextAreaElement).value).toBe('Sorry about that, Dana Miller!');
  });

  it('shows who answers a chat another agent took over, without a composer', async () => {
    setup(detail({ conversation: summary({ status: 'open', mode: 'human', agentName: 'Bo' }) }));
    expect(await screen.findByText('Bo is answering; the bot is paused.')).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'Message to the visitor' })).toBeNull();
  });

  it('appends messages that arrive while watching', async () => {
    const { live } = setup(detail({ conversation: summary({ status: 'open' }) }));
    await screen.findByRole('list', { name: 'Transcript' });
    await waitFor(() => expect(live.calls.some((c) => c.method === 'watch')).toBe(true));
    live.push('conversation:c1', { type: 'message', siteId: 's1', conversationId: 'c1', message: message(5, 'visitor', 'Is anyone there?') });
    expect(await screen.findByText('Is anyone there?')).toBeTruthy();
  });

  it('deletes everything about the visitor only after confirmation', async () => {
    const { server } = setup();
    const confirm = vi.fn().mockReturnValueOnce(false).mockReturnValueOnce(true);
    vi.stubGlobal('confirm', confirm);
    location.hash = '#/conversations/c1';
    fireEvent.click(await screen.findByRole('button', { name: 'Delete visitor data' }));
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(server.requests.some((r) => r.method === 'DELETE')).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: 'Delete visitor data' }));
    await waitFor(() => expect(server.requests.find((r) => r.method === 'DELETE')?.path).toBe('/visitors/v1'));
    await waitFor(() => expect(location.hash).toBe('#/conversations'));
  });

  it('marks a follow-up done and adds a note', async () => {
    const { server } = setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Mark done' }));
    await waitFor(() => expect(server.requests.find((r) => r.path === '/conversations/c1/follow-up')?.body).toMatchObject({ status: 'done' }));
    expect(await screen.findByRole('button', { name: 'Reopen' })).toBeTruthy();
    expect(server.requests.find((r) => r.method === 'PUT')?.headers['x-csrf-token']).toBe('csrf-test');

    fireEvent.input(screen.getByRole('textbox', { name: 'Note' }), { target: { value: 'Refunded shipping' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add note' }));
    expect(await screen.findByText('Refunded shipping')).toBeTruthy();
  });
});

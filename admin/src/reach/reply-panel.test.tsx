import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationReach } from '../api/types.ts';
import { fakeApi, fakeLive } from '../test-support/fake-server.ts';
import { renderWithApp } from '../test-support/render-app.tsx';
import { ReplyPanel } from './reply-panel.tsx';

afterEach(cleanup);

const reach = (over: Partial<ConversationReach> = {}): ConversationReach => ({ email: 'lena@example.org', replies: [], emails: [], playbooks: [], recovery: null, ...over });

function setup(first: ConversationReach = reach()) {
  let current = first;
  let sent = 0;
  const server = fakeApi({
    'GET /conversations/c1/reach': () => ({ body: { ok: true, ...current } }),
    'POST /conversations/c1/reply-draft': { body: { ok: true, text: 'Hallo Lena,\n\nes tut mir leid …', lang: 'de', source: 'template', email: 'lena@example.org' } },
    'POST /conversations/c1/replies': (req) => {
      sent++;
      const b = req.body as { text: string };
      current = reach({
        replies: [{ id: 1, conversationId: 'c1', text: b.text, authorName: 'Ana', delivered: true, read: false, email: 'lena@example.org', createdAt: 1 }],
        emails: [{ id: 3, siteId: 's1', conversationId: 'c1', to: 'lena@example.org', subject: 'Eine Antwort', messageId: '<x@y>', status: 'refused', attempts: 1, lastError: '550 Mailbox unavailable', createdAt: 1, sentAt: null }],
      });
      return { body: { ok: true, reply: current.replies[0] } };
    },
  });
  let refreshed = 0;
  renderWithApp(<ReplyPanel conversationId="c1" onSent={() => refreshed++} />, server.api, fakeLive().live);
  return { server, sent: () => sent, refreshed: () => refreshed };
}

describe('reply panel', () => {
  it('drafts into an editable box, sends the edited text once, and shows a refused e-mail with its reason', async () => {
    const t = setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Draft reply' }));
    const box = screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Reply' });
    await waitFor(() => expect(box.value).toMatch(/^Hallo Lena/));
    expect(screen.getByText(/template filled from the analysis/)).toBeTruthy();
    fireEvent.input(box, { target: { value: 'Hallo Lena, wir rufen Sie morgen an.' } });
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: /Also e-mail it to lena@example.org/ }).checked).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Send reply' }));
    await screen.findByText('Not seen yet');
    expect(t.sent()).toBe(1);
    const send = t.server.requests.find((r) => r.method === 'POST' && r.path.endsWith('/replies'))!;
    expect(send.body).toMatchObject({ text: 'Hallo Lena, wir rufen Sie morgen an.', emailToo: true });
    expect(screen.getByText('Refused')).toBeTruthy();
    expect(screen.getByText('550 Mailbox unavailable')).toBeTruthy();
    expect(box.value).toBe('');
    expect(t.refreshed()).toBe(1);
  });

  it('says the reply goes to the widget only when no address is known, and shows the check-in result', async () => {
    setup(reach({ email: null, recovery: 'not_recovered' }));
    expect(await screen.findByText('Not recovered')).toBeTruthy();
    expect(screen.getByText(/No e-mail address known/)).toBeTruthy();
    expect(screen.queryByRole('checkbox')).toBeNull();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Send reply' }).disabled).toBe(true);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, screen, waitFor } from '@testing-library/preact';
import { conversationView, message } from '../test-support/fake-socket.ts';
import { renderPanel } from '../test-support/render-panel.tsx';

beforeEach(() => localStorage.clear());
afterEach(cleanup);

const ended = conversationView({ status: 'ended', endedAt: 5, endReason: 'completed' });
const transcript = [
  message({ seq: 1, text: 'How likely are you to recommend us?' }),
  message({ seq: 2, author: 'visitor', text: '3, the parcel came a week late' }),
  message({ seq: 3, text: 'Thanks for telling us.' }),
  message({ seq: 4, author: 'agent', authorName: 'Jonas', text: 'Sorry about the late parcel. We refunded the shipping.' }),
];

describe('replies that came while the visitor was away', () => {
  it('reports unread replies as new messages (the loader counts them on the badge) and keeps them unread while closed', async () => {
    const { socket, bridge } = renderPanel({
      open: false,
      conversation: ended,
      messages: transcript,
      setup: (s) => {
        const hello = s.responders['session:hello']!;
        s.responders['session:hello'] = (p) => {
          const a = hello(p);
          return !(a instanceof Promise) && a !== 'hang' && a.ok ? { ...a, unread: [4], awaiting: false } : a;
        };
      },
    });
    await waitFor(() => expect(bridge.notify).toHaveBeenCalledWith('message', expect.objectContaining({ seq: 4, author: 'agent' })));
    const messagesReported = bridge.notify.mock.calls.filter(([event]) => event === 'message');
    expect(messagesReported).toHaveLength(1);
    expect(socket.sent('messages:read')).toHaveLength(0);
    expect(localStorage.getItem('parley:demo:open')).toBeNull();
  });

  it('marks replies read once the visitor opens the panel on them', async () => {
    const { socket, controller } = renderPanel({
      open: false,
      conversation: ended,
      messages: transcript,
      setup: (s) => {
        const hello = s.responders['session:hello']!;
        s.responders['session:hello'] = (p) => {
          const a = hello(p);
          return !(a instanceof Promise) && a !== 'hang' && a.ok ? { ...a, unread: [4], awaiting: true } : a;
        };
      },
    });
    await waitFor(() => expect(localStorage.getItem('parley:demo:token')).toBeTruthy());
    expect(localStorage.getItem('parley:demo:open')).toBe('~');
    await act(() => controller.setOpen(true, true));
    await waitFor(() => expect(socket.sent('messages:read')).toHaveLength(1));
    expect(socket.sent('messages:read')[0]!.payload).toEqual({ conversationId: 'c1', seq: 4 });
    expect(screen.getByText('Sorry about the late parcel. We refunded the shipping.')).toBeTruthy();
  });

  it('a reply pushed live into the open panel is shown and marked read at once', async () => {
    const { socket } = renderPanel({ conversation: ended, messages: transcript.slice(0, 3) });
    await waitFor(() => expect(localStorage.getItem('parley:demo:token')).toBeTruthy());
    await act(() => socket.push('message:created', message({ seq: 4, author: 'agent', authorName: 'Jonas', text: 'We found your parcel.' })));
    expect(await screen.findByText('We found your parcel.')).toBeTruthy();
    await waitFor(() => expect(socket.sent('messages:read')).toHaveLength(1));
  });
});

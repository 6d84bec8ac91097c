import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { conversationView, message, site } from '../test-support/fake-socket.ts';
import { renderPanel } from '../test-support/render-panel.tsx';

beforeEach(() => localStorage.clear());
afterEach(cleanup);

describe('session', () => {
  it('says the chat is not available when the server refuses this page', async () => {
    const { socket } = renderPanel({ offline: true });
    await act(() => socket.refuse('origin_not_allowed'));
    expect((await screen.findByRole('alert')).textContent).toBe('Chat is not available on this page.');
    expect(socket.sent('session:hello')).toHaveLength(0);
  });

  it('lets nobody type into a chat that will never send', async () => {
    const { socket } = renderPanel({ offline: true });
    await act(() => socket.refuse('origin_not_allowed'));
    await screen.findByRole('alert');
    const box = screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Message' });
    expect(box.disabled).toBe(true);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Send' }).disabled).toBe(true);
    fireEvent.input(box, { target: { value: 'Is anyone there?' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(screen.queryByText('Sending…')).toBeNull();
  });

  it('shows a recently ended conversation after a reload, with the offer to start anew, and starts nothing by itself', async () => {
    const ended = conversationView({ status: 'ended', endedAt: 5, endReason: 'completed' });
    const { socket } = renderPanel({
      conversation: ended,
      messages: [message({ seq: 1, text: 'How likely are you to recommend us?' }), message({ seq: 2, author: 'visitor', text: '9' }), message({ seq: 3, text: 'Thanks, bye!' })],
    });
    expect(await screen.findByText('Thanks, bye!')).toBeTruthy();
    expect(screen.getByText('This conversation has ended.')).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'Message' })).toBeNull();
    await waitFor(() => expect(localStorage.getItem('parley:demo:token')).toBe('token-0123456789abcdef'));
    expect(socket.sent('conversation:start')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Start a new conversation' }));
    await waitFor(() => expect(socket.sent('conversation:start')).toHaveLength(1));
    expect(socket.sent('conversation:start')[0]!.payload).toMatchObject({ restart: true });
    await waitFor(() => expect(screen.queryByText('Thanks, bye!')).toBeNull());
    expect(screen.getByRole('textbox', { name: 'Message' })).toBeTruthy();
  });

  it('moves focus from the message box to "Start a new conversation" when the box goes away', async () => {
    const { socket } = renderPanel({ setup: (s) => (s.online = false) });
    const box = screen.getByRole('textbox', { name: 'Message' });
    await waitFor(() => expect(document.activeElement).toBe(box));
    socket.responders['session:hello'] = () => ({
      ok: true, visitorToken: 'token-0123456789abcdef', visitorId: 'v1', verified: false,
      site: site(), conversation: conversationView({ status: 'ended', endedAt: 5, endReason: 'completed' }), messages: [],
    });
    await act(() => socket.restore());
    const restart = await screen.findByRole('button', { name: 'Start a new conversation' });
    await waitFor(() => expect(document.activeElement).toBe(restart));
  });

  it('shows the end of a conversation that ended while the page was away, and what was missed', async () => {
    let hellos = 0;
    const { socket } = renderPanel({
      setup: (s) => {
        const answer = s.responders['session:hello']!;
        s.responders['session:hello'] = (p) => {
          const a = answer(p);
          if (hellos++ === 0 || a instanceof Promise || a === 'hang' || !a.ok) return a;
          return { ...a, conversation: conversationView({ status: 'ended', endedAt: 5, endReason: 'completed' }) };
        };
        s.responders['messages:since'] = () => ({ ok: true, messages: [message({ seq: 1, text: 'Thanks, bye!' })] });
      },
    });
    await waitFor(() => expect(localStorage.getItem('parley:demo:open')).toBe('c1'));
    await act(() => socket.drop());
    await act(() => socket.restore());
    expect(await screen.findByText('Thanks, bye!')).toBeTruthy();
    expect(screen.getByText('This conversation has ended.')).toBeTruthy();
    expect(localStorage.getItem('parley:demo:open')).toBeNull();
    expect(socket.sent('conversation:start')).toHaveLength(0);
  });

  it('says so in words when connections are rate limited', async () => {
    const { socket } = renderPanel({ offline: true });
    await act(() => socket.refuse('rate_limited', 60_000));
    expect((await screen.findByRole('alert')).textContent).toMatch(/too quickly/);
  });

  it('forgets a token the server no longer knows and starts afresh', async () => {
    localStorage.setItem('parley:demo:token', 'stale-token-0123456789');
    let hellos = 0;
    const { socket } = renderPanel({
      setup: (s) => {
        const answer = s.responders['session:hello']!;
        s.responders['session:hello'] = (p) =>
          hellos++ === 0 ? { ok: false, error: { code: 'invalid_token', message: 'unknown token' } } : answer(p);
      },
    });
    expect(socket.auth.visitorToken).toBe('stale-token-0123456789');
    await waitFor(() => expect(socket.sent('session:hello')).toHaveLength(2));
    await waitFor(() => expect(localStorage.getItem('parley:demo:token')).toBe('token-0123456789abcdef'));
    expect(socket.auth.visitorToken).toBe('token-0123456789abcdef');
  });

  it('reports an ended conversation to the page; the next load looks for a reply to it, not for the conversation', async () => {
    const { socket, bridge } = renderPanel();
    await waitFor(() => expect(localStorage.getItem('parley:demo:open')).toBe('c1'));
    await act(() => socket.push('conversation:ended', { conversationId: 'c1', reason: 'idle' }));
    expect(localStorage.getItem('parley:demo:open')).toBe('~');
    expect(bridge.notify).toHaveBeenCalledWith('conversation:end', expect.objectContaining({ reason: 'idle' }));
    expect(screen.getByText('This conversation has ended.')).toBeTruthy();
  });
});

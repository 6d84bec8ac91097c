import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, screen, waitFor } from '@testing-library/preact';
import { renderPanel } from '../test-support/render-panel.tsx';

beforeEach(() => localStorage.clear());
afterEach(cleanup);

describe('session', () => {
  it('says the chat is not available when the server refuses this page', async () => {
    const { socket } = renderPanel({ offline: true });
    act(() => socket.refuse('origin_not_allowed'));
    expect((await screen.findByRole('alert')).textContent).toBe('Chat is not available on this page.');
    expect(socket.sent('session:hello')).toHaveLength(0);
  });

  it('says so in words when connections are rate limited', async () => {
    const { socket } = renderPanel({ offline: true });
    act(() => socket.refuse('rate_limited', 60_000));
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

  it('reports an ended conversation to the page and forgets it for the next load', async () => {
    const { socket, bridge } = renderPanel();
    await waitFor(() => expect(localStorage.getItem('parley:demo:open')).toBe('c1'));
    act(() => socket.push('conversation:ended', { conversationId: 'c1', reason: 'idle' }));
    expect(localStorage.getItem('parley:demo:open')).toBeNull();
    expect(bridge.notify).toHaveBeenCalledWith('conversation:end', expect.objectContaining({ reason: 'idle' }));
    expect(screen.getByText('This conversation has ended.')).toBeTruthy();
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { renderPanel } from '../test-support/render-panel.tsx';
import { conversationView, message, site, type FakeSocket } from '../test-support/fake-socket.ts';

beforeEach(() => {
  localStorage.clear();
  vi.useFakeTimers({ shouldAdvanceTime: true });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const outbox = () => JSON.parse(localStorage.getItem('parley:demo:outbox') ?? '[]') as { clientId: string; text: string }[];
const type = (text: string) => {
  const box = screen.getByRole('textbox', { name: 'Message' });
  fireEvent.input(box, { target: { value: text } });
  fireEvent.keyDown(box, { key: 'Enter' });
};

describe('a widget offline for an hour', () => {
  it('delivers its outbox once, in order, when the network comes back', async () => {
    const delivered = new Map<string, string>();
    let lost = true;
    const { socket } = renderPanel({
      setup: (s) => {
        const answer = s.responders['message:send']!;
        s.responders['message:send'] = (p) => {
          // the first attempt reaches the server but its ack is lost with the network
          if (lost) {
            lost = false;
            delivered.set(p.clientId, p.text);
            return 'hang';
          }
          const duplicate = delivered.has(p.clientId);
          delivered.set(p.clientId, p.text);
          const ack = answer(p);
          if (ack instanceof Promise) return ack;
          return ack === 'hang' || !ack.ok ? ack : { ...ack, duplicate };
        };
      },
    });
    await waitFor(() => expect(socket.sent('session:hello')).toHaveLength(1));
    type('Where is order 5531?');
    await waitFor(() => expect(socket.sent('message:send')).toHaveLength(1));
    await act(async () => socket.drop());
    type('It was due on Monday.');
    type('Ich warte seit einer Woche.');
    expect(outbox().map((e) => e.text)).toEqual(['Where is order 5531?', 'It was due on Monday.', 'Ich warte seit einer Woche.']);

    // an hour passes with the network down: reconnect attempts fail, nothing is dropped or sent twice
    await act(async () => {
      await vi.advanceTimersByTimeAsync(60 * 60 * 1000);
    });
    expect(socket.sent('message:send')).toHaveLength(1);
    expect(outbox()).toHaveLength(3);

    await act(async () => socket.restore());
    await waitFor(() => expect(outbox()).toEqual([]));
    const sends = socket.sent('message:send').map((r) => r.payload as { clientId: string; text: string });
    // the lost one again with its own client id (the server dedupes it), then the others once each
    expect(sends.map((p) => p.text)).toEqual(['Where is order 5531?', 'Where is order 5531?', 'It was due on Monday.', 'Ich warte seit einer Woche.']);
    expect(new Set(sends.map((p) => p.clientId)).size).toBe(3);
    expect(sends[0]!.clientId).toBe(sends[1]!.clientId);
    expect([...delivered.values()]).toEqual(['Where is order 5531?', 'It was due on Monday.', 'Ich warte seit einer Woche.']);
    // shown once each
    for (const text of delivered.values()) expect(screen.getAllByText(text)).toHaveLength(1);
  });

  it('shows the conversation open again when its queued reply reopened it, and sends there next', async () => {
    // the server ended it for inactivity while the widget was away: hello says so
    const { socket } = renderPanel({ conversation: conversationView({ status: 'ended', endedAt: 5, endReason: 'idle' }) });
    await waitFor(() => expect(socket.sent('session:hello')).toHaveLength(1));
    expect(await screen.findByRole('button', { name: 'Start a new conversation' })).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'Message' })).toBeNull();
    // the queued reply reached it and reopened it: the server says it is open again
    await act(async () => socket.push('conversation:updated', conversationView({ status: 'open' })));
    expect(await screen.findByRole('textbox', { name: 'Message' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Start a new conversation' })).toBeNull();
    type('One more thing.');
    await waitFor(() => expect(socket.sent('message:send')).toHaveLength(1));
    expect(socket.sent('message:send')[0]!.payload).toMatchObject({ conversationId: 'c1', text: 'One more thing.' });
    expect(socket.sent('conversation:start')).toHaveLength(0);
  });

  /** the network drops with c1 open; the visitor types while the server ends c1 for inactivity */
  async function idleEndWhileAway(socket: FakeSocket) {
    await waitFor(() => expect(socket.sent('session:hello')).toHaveLength(1));
    expect(await screen.findByRole('textbox', { name: 'Message' })).toBeTruthy();
    await act(async () => socket.drop());
    type('Sorry, I was away. The parcel never came.');
    expect(outbox()).toHaveLength(1);
    socket.responders['session:hello'] = () => ({
      ok: true,
      visitorToken: 'token-0123456789abcdef',
      visitorId: 'v1',
      verified: false,
      site: site(),
      conversation: conversationView({ status: 'ended', endedAt: 5, endReason: 'idle' }),
      messages: [],
    });
    // the server's answer to the queued message is held until the test has looked
    socket.responders['message:send'] = () => 'hang';
    await act(async () => socket.restore());
    await waitFor(() => expect(socket.sent('message:send')).toHaveLength(1));
    return socket.sent('message:send')[0]!;
  }
  const ends = (notify: ReturnType<typeof renderPanel>['bridge']['notify']) => notify.mock.calls.filter(([event]) => event === 'conversation:end');

  it('a queued reply that reopens a conversation ended for inactivity: the page is never told it ended, the panel stays open', async () => {
    const { socket, bridge } = renderPanel();
    const send = await idleEndWhileAway(socket);
    expect(send.payload).toMatchObject({ conversationId: 'c1', text: 'Sorry, I was away. The parcel never came.' });
    // while the server works on it, the panel shows the conversation open, not ended
    expect(screen.queryByRole('button', { name: 'Start a new conversation' })).toBeNull();
    expect(screen.getByRole('textbox', { name: 'Message' })).toBeTruthy();
    expect(ends(bridge.notify)).toEqual([]);

    // the server reopened it for the message
    await act(async () => {
      socket.push('conversation:updated', conversationView({ status: 'open' }));
      send.resolve({ ok: true, duplicate: false, message: message({ seq: 2, author: 'visitor', text: 'Sorry, I was away. The parcel never came.', clientId: (send.payload as { clientId: string }).clientId }) });
    });
    await waitFor(() => expect(outbox()).toEqual([]));
    expect(ends(bridge.notify)).toEqual([]);
    expect(screen.getByRole('textbox', { name: 'Message' })).toBeTruthy();
    expect(screen.getAllByText('Sorry, I was away. The parcel never came.')).toHaveLength(1);
  });

  it('a queued reply the server refuses (it could not reopen): then the conversation ends, once, for inactivity', async () => {
    const { socket, bridge } = renderPanel();
    const send = await idleEndWhileAway(socket);
    expect(ends(bridge.notify)).toEqual([]);
    await act(async () => send.resolve({ ok: false, error: { code: 'conversation_ended', message: 'This conversation has ended; start a new one.' } }));
    expect(await screen.findByRole('button', { name: 'Start a new conversation' })).toBeTruthy();
    expect(ends(bridge.notify)).toHaveLength(1);
    expect(ends(bridge.notify)[0]![1]).toMatchObject({ reason: 'idle' });
  });

  it('after a reload too: a reply kept from the last page goes to the conversation that timed out, shown open meanwhile', async () => {
    localStorage.setItem('parley:demo:open', 'c1');
    localStorage.setItem('parley:demo:outbox', JSON.stringify([{ clientId: 'kept-0001', conversationId: 'c1', text: 'Still there?' }]));
    const { socket, bridge } = renderPanel({
      conversation: conversationView({ status: 'ended', endedAt: 5, endReason: 'idle' }),
      setup: (s) => void (s.responders['message:send'] = () => 'hang'),
    });
    await waitFor(() => expect(socket.sent('message:send')).toHaveLength(1));
    expect(socket.sent('message:send')[0]!.payload).toMatchObject({ conversationId: 'c1', clientId: 'kept-0001' });
    expect(await screen.findByRole('textbox', { name: 'Message' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Start a new conversation' })).toBeNull();
    expect(ends(bridge.notify)).toEqual([]);
    expect(socket.sent('conversation:start')).toHaveLength(0);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { renderPanel } from '../test-support/render-panel.tsx';
import { conversationView } from '../test-support/fake-socket.ts';

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
});

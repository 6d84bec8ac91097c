import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { renderPanel } from '../test-support/render-panel.tsx';
import { message } from '../test-support/fake-socket.ts';

beforeEach(() => localStorage.clear());
afterEach(cleanup);

const outbox = () => JSON.parse(localStorage.getItem('parley:demo:outbox') ?? '[]') as { clientId: string; text: string }[];
const type = (text: string) => {
  const box = screen.getByRole('textbox', { name: 'Message' });
  fireEvent.input(box, { target: { value: text } });
  fireEvent.keyDown(box, { key: 'Enter' });
};
const clientIds = (sends: { payload: unknown }[]) => sends.map((r) => (r.payload as { clientId: string }).clientId);

describe('outbox', () => {
  it('keeps a message typed while the connection is down and sends it once on reconnect', async () => {
    const { socket } = renderPanel();
    await waitFor(() => expect(socket.sent('session:hello')).toHaveLength(1));
    await act(() => socket.drop());
    expect(screen.getByRole('alert').textContent).toMatch(/Reconnecting/);
    type('typed offline');
    expect(await screen.findByText('Sending…')).toBeTruthy();
    expect(outbox().map((e) => e.text)).toEqual(['typed offline']);
    expect(socket.sent('message:send')).toHaveLength(0);

    await act(async () => socket.restore());
    await waitFor(() => expect(socket.sent('message:send')).toHaveLength(1));
    await screen.findByText('Sent');
    expect(outbox()).toEqual([]);
    expect(socket.sent('message:send')).toHaveLength(1);
  });

  it('resends an unacknowledged message once, with the same client id, after the connection drops', async () => {
    let acks = 0;
    const { socket } = renderPanel({
      setup: (s) => {
        const answer = s.responders['message:send']!;
        // the first attempt is lost with the connection; later ones are answered
        s.responders['message:send'] = (p) => (acks++ === 0 ? 'hang' : answer(p));
      },
    });
    await waitFor(() => expect(socket.sent('session:hello')).toHaveLength(1));
    type('one');
    type('two');
    await waitFor(() => expect(socket.sent('message:send')).toHaveLength(1));
    const [first] = outbox();
    expect(outbox().map((e) => e.text)).toEqual(['one', 'two']);

    await act(() => socket.drop());
    await act(async () => socket.restore());
    await waitFor(() => expect(outbox()).toEqual([]));
    const sends = socket.sent('message:send');
    expect(sends.map((r) => (r.payload as { text: string }).text)).toEqual(['one', 'one', 'two']);
    expect(clientIds(sends)[1]).toBe(first!.clientId);
    // after the reconnect the widget asked what it missed
    expect(socket.sent('messages:since')).toHaveLength(1);
  });

  it('sends what was left in the outbox by a previous page load', async () => {
    const first = renderPanel({ offline: true });
    type('before reload');
    const [entry] = outbox();
    expect(entry?.text).toBe('before reload');
    first.unmount();

    const { socket } = renderPanel();
    expect(await screen.findByText('before reload')).toBeTruthy();
    await waitFor(() => expect(socket.sent('message:send')).toHaveLength(1));
    expect(clientIds(socket.sent('message:send'))).toEqual([entry!.clientId]);
    await waitFor(() => expect(outbox()).toEqual([]));
  });

  it('drops a message the server refuses for good and says why', async () => {
    const { socket } = renderPanel({
      setup: (s) => (s.responders['message:send'] = () => ({ ok: false, error: { code: 'message_too_long', message: 'too long' } })),
    });
    await waitFor(() => expect(socket.sent('session:hello')).toHaveLength(1));
    type('hello');
    expect(await screen.findByRole('alert')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toMatch(/too long/);
    expect(outbox()).toEqual([]);
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('fetches what it missed after a reconnect and reports new bot messages', async () => {
    const { socket, bridge } = renderPanel({ messages: [message({ seq: 1, text: 'Welcome back' })] });
    await screen.findByText('Welcome back');
    socket.responders['messages:since'] = (p) => ({ ok: true, messages: [message({ seq: p.afterSeq + 1, text: 'Missed this' })] });
    await act(() => socket.drop());
    await act(async () => socket.restore());
    expect(await screen.findByText('Missed this')).toBeTruthy();
    expect(socket.sent('messages:since')[0]!.payload).toEqual({ conversationId: 'c1', afterSeq: 1 });
    expect(bridge.notify).toHaveBeenCalledWith('message', expect.objectContaining({ text: 'Missed this' }));
    expect(bridge.notify).not.toHaveBeenCalledWith('message', expect.objectContaining({ text: 'Welcome back' }));
  });

  it('stores the visitor token and starts a conversation when none is open', async () => {
    const { socket } = renderPanel({ conversation: null, config: { flowId: 'csat' } });
    await waitFor(() => expect(socket.sent('conversation:start')).toHaveLength(1));
    expect(socket.sent('conversation:start')[0]!.payload).toMatchObject({ flowId: 'csat', restart: false });
    expect(localStorage.getItem('parley:demo:token')).toBe('token-0123456789abcdef');
    expect(socket.auth.visitorToken).toBe('token-0123456789abcdef');
    expect(localStorage.getItem('parley:demo:open')).toBe('c1');
  });

  it('identifies the visitor and reports whether the hash was accepted', async () => {
    const { socket, controller } = renderPanel();
    let result: unknown;
    await act(async () => {
      result = await controller.identify({ id: 'u1', email: 'a@b.co', userHash: 'ab' });
    });
    expect(result).toEqual({ verified: true });
    expect(socket.sent('visitor:identify')[0]!.payload).toEqual({ id: 'u1', email: 'a@b.co', userHash: 'ab' });
    socket.responders['visitor:identify'] = () => ({ ok: false, error: { code: 'invalid_user_hash', message: 'bad hash' } });
    await act(async () => {
      result = await controller.identify({ id: 'u1', userHash: 'wrong' });
    });
    expect(result).toMatchObject({ verified: false, error: { code: 'invalid_user_hash' } });
  });
});

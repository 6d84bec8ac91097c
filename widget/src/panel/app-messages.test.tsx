import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { renderPanel } from '../test-support/render-panel.tsx';
import { conversationView, message } from '../test-support/fake-socket.ts';
import type { CreatedMessage } from '../../../shared/visitor-events.ts';

beforeEach(() => localStorage.clear());
afterEach(cleanup);

const type = (text: string) => {
  const box = screen.getByRole('textbox', { name: 'Message' });
  fireEvent.input(box, { target: { value: text } });
  fireEvent.keyDown(box, { key: 'Enter' });
};

describe('panel transcript', () => {
  it('shows the transcript from session:hello, with the site name in the header', async () => {
    renderPanel({ messages: [message({ seq: 1, text: 'Hi! How likely are you to recommend us?' })] });
    expect(await screen.findByText('Hi! How likely are you to recommend us?')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Acme' })).toBeTruthy();
    expect(screen.getByRole('log', { name: 'Messages' }).getAttribute('aria-live')).toBe('polite');
  });

  it('marks a visitor message sending until the server acks it, then sent', async () => {
    const { socket } = renderPanel({ setup: (s) => (s.responders['message:send'] = () => 'hang') });
    await waitFor(() => expect(socket.sent('session:hello')).toHaveLength(1));
    type('Great service');
    expect(await screen.findByText('Great service')).toBeTruthy();
    expect(screen.getByText('Sending…')).toBeTruthy();
    const req = socket.sent('message:send')[0]!;
    const p = req.payload as { clientId: string; conversationId: string };
    await act(async () =>
      req.resolve({ ok: true, duplicate: false, message: message({ seq: 1, author: 'visitor', text: 'Great service', clientId: p.clientId }) }),
    );
    expect(await screen.findByText('Sent')).toBeTruthy();
    expect(screen.queryByText('Sending…')).toBeNull();
    expect(screen.getAllByText('Great service')).toHaveLength(1);
  });

  it('offers retry when no ack comes, and resends with the same client id', async () => {
    const { socket } = renderPanel({ setup: (s) => (s.responders['message:send'] = () => 'hang') });
    await waitFor(() => expect(socket.sent('session:hello')).toHaveLength(1));
    type('Hello?');
    await waitFor(() => expect(socket.sent('message:send')).toHaveLength(1));
    await act(async () => socket.sent('message:send')[0]!.reject(new Error('operation has timed out')));
    expect(await screen.findByText(/Not sent/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(socket.sent('message:send')).toHaveLength(2));
    const [a, b] = socket.sent('message:send').map((r) => (r.payload as { clientId: string }).clientId);
    expect(b).toBe(a);
  });

  it('tells the visitor in words when they are rate limited', async () => {
    const { socket } = renderPanel({
      setup: (s) => (s.responders['message:send'] = () => ({ ok: false, error: { code: 'rate_limited', message: 'slow down', retryAfterMs: 60_000 } })),
    });
    await waitFor(() => expect(socket.sent('session:hello')).toHaveLength(1));
    type('spam');
    expect((await screen.findByRole('alert')).textContent).toMatch(/too quickly/);
  });

  it('renders visitor and bot text as text, never as HTML', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const { socket, container } = renderPanel({ messages: [message({ seq: 1, text: `<b>bold</b>${evil}` })] });
    await waitFor(() => expect(socket.sent('session:hello')).toHaveLength(1));
    type(evil);
    expect(await screen.findByText(evil)).toBeTruthy();
    expect(screen.getByText(`<b>bold</b>${evil}`)).toBeTruthy();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
  });

  it('shows a typing indicator while the server works', async () => {
    const { socket } = renderPanel();
    await waitFor(() => expect(socket.sent('session:hello')).toHaveLength(1));
    await act(() => socket.push('typing:changed', { conversationId: 'c1', author: 'bot', typing: true }));
    expect(screen.getByText('Typing…')).toBeTruthy();
    await act(() => socket.push('typing:changed', { conversationId: 'c1', author: 'bot', typing: false }));
    expect(screen.queryByText('Typing…')).toBeNull();
  });

  it('streams a reply into a draft that the final message replaces', async () => {
    const { socket, container } = renderPanel();
    await waitFor(() => expect(socket.sent('session:hello')).toHaveLength(1));
    await act(() => {
      socket.push('message:delta', { conversationId: 'c1', draftId: 'd1', text: 'Thanks for ' });
      socket.push('message:delta', { conversationId: 'c1', draftId: 'd1', text: 'your answer' });
    });
    expect(screen.getByText('Thanks for your answer')).toBeTruthy();
    expect(container.querySelector('[aria-busy="true"]')).not.toBeNull();
    const final: CreatedMessage = { ...message({ seq: 2, text: 'Thanks for your answer!' }), draftId: 'd1' };
    await act(() => socket.push('message:created', final));
    expect(screen.queryByText('Thanks for your answer')).toBeNull();
    expect(screen.getAllByText('Thanks for your answer!')).toHaveLength(1);
    expect(container.querySelector('[aria-busy="true"]')).toBeNull();
  });

  it("shows the person's name on agent messages and when they join and leave", async () => {
    const { socket } = renderPanel();
    await waitFor(() => expect(socket.sent('session:hello')).toHaveLength(1));
    await act(() => socket.push('conversation:updated', conversationView({ mode: 'human', agentName: 'Ana' })));
    expect(screen.getByText('Ana joined the conversation')).toBeTruthy();
    await act(() => socket.push('message:created', message({ seq: 1, author: 'agent', authorName: 'Ana', text: 'Hi, I can help' })));
    expect(screen.getByText('Ana')).toBeTruthy();
    await act(() => socket.push('conversation:updated', conversationView({ mode: 'bot' })));
    expect(screen.getByText('Ana left the conversation')).toBeTruthy();
  });

  it('offers a new conversation once this one has ended', async () => {
    const { socket, bridge } = renderPanel();
    await waitFor(() => expect(socket.sent('session:hello')).toHaveLength(1));
    await act(() => socket.push('conversation:ended', { conversationId: 'c1', reason: 'completed' }));
    expect(screen.queryByRole('textbox', { name: 'Message' })).toBeNull();
    expect(bridge.notify).toHaveBeenCalledWith('conversation:end', expect.objectContaining({ reason: 'completed' }));
    fireEvent.click(screen.getByRole('button', { name: 'Start a new conversation' }));
    await waitFor(() => expect(socket.sent('conversation:start')).toHaveLength(1));
    expect(socket.sent('conversation:start')[0]!.payload).toMatchObject({ restart: true });
    expect(await screen.findByRole('textbox', { name: 'Message' })).toBeTruthy();
  });

  it('closes on Escape', async () => {
    const { bridge } = renderPanel();
    fireEvent.keyDown(screen.getByRole('textbox', { name: 'Message' }), { key: 'Escape' });
    expect(bridge.requestClose).toHaveBeenCalledTimes(1);
  });

  it('counts down the characters left and refuses an over-long message', async () => {
    const { socket } = renderPanel();
    await waitFor(() => expect(socket.sent('session:hello')).toHaveLength(1));
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.input(box, { target: { value: 'x'.repeat(1990) } });
    expect(screen.getByText('10 characters left')).toBeTruthy();
    fireEvent.input(box, { target: { value: 'x'.repeat(2001) } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(screen.getByRole('alert').textContent).toMatch(/too long/);
    expect(socket.sent('message:send')).toHaveLength(0);
  });

  it('shows the counter only near the limit, tied to the message box, and always when over', async () => {
    const { socket } = renderPanel();
    await waitFor(() => expect(socket.sent('session:hello')).toHaveLength(1));
    const box = screen.getByRole('textbox', { name: 'Message' });
    expect(screen.queryByText(/characters left/)).toBeNull();
    expect(box.hasAttribute('aria-describedby')).toBe(false);
    fireEvent.input(box, { target: { value: 'x'.repeat(1500) } });
    expect(screen.queryByText(/characters left/)).toBeNull();
    fireEvent.input(box, { target: { value: 'x'.repeat(1850) } });
    const count = screen.getByText('150 characters left');
    expect(box.getAttribute('aria-describedby')).toBe(count.id);
    fireEvent.input(box, { target: { value: 'x'.repeat(2100) } });
    expect(screen.getByText('-100 characters left')).toBeTruthy();
    fireEvent.input(box, { target: { value: 'short again' } });
    expect(screen.queryByText(/characters left/)).toBeNull();
  });

  it('keeps Shift+Enter for a new line', async () => {
    const { socket } = renderPanel();
    await waitFor(() => expect(socket.sent('session:hello')).toHaveLength(1));
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.input(box, { target: { value: 'line one' } });
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(socket.sent('message:send')).toHaveLength(0);
  });
});

describe('visitor typing', () => {
  it('tells the server when the visitor starts typing and when they send', async () => {
    const { socket } = renderPanel();
    await waitFor(() => expect(socket.sent('session:hello')).toHaveLength(1));
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.input(box, { target: { value: 'h' } });
    fireEvent.input(box, { target: { value: 'hi' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(socket.sent('message:send')).toHaveLength(1));
    expect(socket.sent('visitor:typing').map((r) => r.payload)).toEqual([
      { conversationId: 'c1', typing: true },
      { conversationId: 'c1', typing: false },
    ]);
  });
});

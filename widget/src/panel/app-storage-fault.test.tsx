import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { renderPanel } from '../test-support/render-panel.tsx';

beforeEach(() => localStorage.clear());
afterEach(cleanup);

describe('the server cannot store right now (disk full or read-only)', () => {
  it('the message stays in the outbox and goes again by itself, same client id, once the server can store', async () => {
    let refuse = true;
    const { socket } = renderPanel({
      setup: (s) => {
        const normal = s.responders['message:send'];
        s.responders['message:send'] = (p) =>
          refuse ? { ok: false, error: { code: 'storage_unavailable', message: 'cannot save right now', retryAfterMs: 20 } } : normal!(p);
      },
    });
    await waitFor(() => expect(socket.sent('session:hello')).toHaveLength(1));
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.input(box, { target: { value: 'Where is my parcel?' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(socket.sent('message:send').length).toBeGreaterThanOrEqual(1));
    refuse = false;
    await waitFor(() => expect(screen.queryByText(/Not sent/)).toBeNull());
    const ids = new Set(socket.sent('message:send').map((r) => (r.payload as { clientId: string }).clientId));
    expect(ids.size).toBe(1);
    await waitFor(() => expect(JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => k.includes('outbox')) ?? '') ?? '[]')).toEqual([]));
  });
});

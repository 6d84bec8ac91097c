import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { renderPanel } from '../test-support/render-panel.tsx';
import { message, site } from '../test-support/fake-socket.ts';

beforeEach(() => localStorage.clear());
afterEach(cleanup);

const nps = message({
  seq: 1,
  text: 'How likely are you to recommend us?',
  reply: { options: Array.from({ length: 11 }, (_, i) => ({ label: String(i), value: String(i) })), multiple: false, skippable: true },
});

describe('quick replies', () => {
  it('sends the clicked label with its value', async () => {
    const { socket } = renderPanel({ messages: [nps] });
    fireEvent.click(await screen.findByRole('button', { name: '9' }));
    await waitFor(() => expect(socket.sent('message:send')).toHaveLength(1));
    expect(socket.sent('message:send')[0]!.payload).toMatchObject({ conversationId: 'c1', text: '9', value: '9' });
    // answered: the buttons go away
    await waitFor(() => expect(screen.queryByRole('button', { name: '9' })).toBeNull());
  });

  it('names both ends of a scale under its buttons, as the description of the group', async () => {
    const rated = message({ ...nps, id: 900, reply: { ...nps.reply!, scale: { low: 'Not likely', high: 'Very likely' } } });
    renderPanel({ messages: [rated] });
    const group = await screen.findByRole('group');
    const ends = group.querySelector(`[id="${group.getAttribute('aria-describedby')}"]`);
    expect(ends?.textContent).toBe('Not likely, Very likely');
    // the labels sit after all eleven buttons (one row), not between them
    const buttons = within(group).getAllByRole('button');
    expect(buttons.slice(0, 11).map((b) => b.textContent)).toEqual(Array.from({ length: 11 }, (_, i) => String(i)));
    expect(buttons[10]!.compareDocumentPosition(ends!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('shows no end labels when the question has no scale', async () => {
    renderPanel({ messages: [nps] });
    const group = await screen.findByRole('group');
    expect(group.hasAttribute('aria-describedby')).toBe(false);
    expect(screen.queryByText('Not likely')).toBeNull();
  });

  it('cannot be clicked when the chat is not available on this page', async () => {
    const { socket } = renderPanel({ messages: [nps] });
    await screen.findByRole('button', { name: '9' });
    await act(() => socket.refuse('origin_not_allowed'));
    await screen.findByRole('alert');
    const buttons = within(screen.getByRole('group')).getAllByRole<HTMLButtonElement>('button');
    expect(buttons.every((b) => b.disabled)).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: '9' }));
    expect(socket.sent('message:send')).toHaveLength(0);
  });

  it('offers skip on a skippable question', async () => {
    const { socket } = renderPanel({ messages: [nps] });
    fireEvent.click(await screen.findByRole('button', { name: 'Skip' }));
    await waitFor(() => expect(socket.sent('message:send')).toHaveLength(1));
    expect(socket.sent('message:send')[0]!.payload).toMatchObject({ text: 'Skip', value: '__skip' });
  });

  it('lets the visitor toggle several choices, then send them together', async () => {
    const q = message({
      seq: 1,
      text: 'What did you use?',
      reply: {
        options: [
          { label: 'Search', value: 'search' },
          { label: 'Checkout', value: 'checkout' },
          { label: 'Support', value: 'support' },
        ],
        multiple: true,
        skippable: false,
      },
    });
    const { socket } = renderPanel({ messages: [q] });
    const group = await screen.findByRole('group');
    const confirm = within(group).getByRole<HTMLButtonElement>('button', { name: 'Send selected' });
    expect(confirm.disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Skip' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    fireEvent.click(screen.getByRole('button', { name: 'Support' }));
    fireEvent.click(screen.getByRole('button', { name: 'Checkout' }));
    fireEvent.click(screen.getByRole('button', { name: 'Checkout' }));
    expect(screen.getByRole('button', { name: 'Search' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('button', { name: 'Checkout' }).getAttribute('aria-pressed')).toBe('false');
    expect(socket.sent('message:send')).toHaveLength(0);
    fireEvent.click(confirm);
    await waitFor(() => expect(socket.sent('message:send')).toHaveLength(1));
    expect(socket.sent('message:send')[0]!.payload).toMatchObject({ text: 'Search, Support', value: ['search', 'support'] });
  });

  it('says when the team is back instead of offering a person outside business hours', async () => {
    const offer = message({
      seq: 1,
      text: "I couldn't find that. Want to talk to a person?",
      reply: { options: [{ label: 'Talk to a person', value: 'human' }, { label: 'No thanks', value: 'no' }], multiple: false, skippable: false },
    });
    const backAt = Date.UTC(2026, 10, 27, 9, 0);
    renderPanel({ messages: [offer], site: site({ humansAvailable: false, humansBackAt: backAt }) });
    expect(await screen.findByText(/^Our team is away — back /)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Talk to a person' })).toBeNull();
    expect(screen.getByRole('button', { name: 'No thanks' })).toBeTruthy();
  });

  it('offers the person when the team is in', async () => {
    const offer = message({
      seq: 1,
      text: 'Want to talk to a person?',
      reply: { options: [{ label: 'Talk to a person', value: 'human' }], multiple: false, skippable: false },
    });
    renderPanel({ messages: [offer] });
    expect(await screen.findByRole('button', { name: 'Talk to a person' })).toBeTruthy();
    expect(screen.queryByText(/Our team is away/)).toBeNull();
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, screen } from '@testing-library/preact';
import { renderPanel, serverStrings } from '../test-support/render-panel.tsx';
import type { StringTable } from '../i18n/translator.ts';
import { site } from '../test-support/fake-socket.ts';

beforeEach(() => localStorage.clear());
afterEach(cleanup);

describe('panel language', () => {
  it('speaks the language chosen by data-lang', async () => {
    renderPanel({ config: { lang: 'de' } });
    expect(await screen.findByRole('textbox', { name: 'Nachricht' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Senden' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Chat schließen' })).toBeTruthy();
  });

  it('marks the panel with its language, so a screen reader on an English page reads German as German', async () => {
    renderPanel({ config: { lang: 'de' } });
    expect((await screen.findByRole('dialog')).getAttribute('lang')).toBe('de');
  });

  it("uses the site's own wording where it overrides a string", async () => {
    renderPanel({ config: { lang: 'fr' }, site: site({ strings: { fr: { send: 'Go !' }, en: { send: 'Nope' } } }) });
    expect(await screen.findByRole('button', { name: 'Go !' })).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Message' }).getAttribute('placeholder')).toBe('Écrivez votre message…');
  });

  it('fetches the German table, shows nothing until it arrives, then speaks German (no flash of English)', async () => {
    let arrive: (table: StringTable) => void = () => {};
    const loadStrings = vi.fn((_lang: string) => new Promise<StringTable>((resolve) => (arrive = resolve)));
    renderPanel({ config: { lang: 'de' }, loadStrings });
    expect(loadStrings).toHaveBeenCalledWith('de');
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Send' })).toBeNull();
    arrive(await serverStrings('de'));
    expect(await screen.findByRole('button', { name: 'Senden' })).toBeTruthy();
    expect(screen.getByRole('dialog').getAttribute('lang')).toBe('de');
  });

  it('speaks English, and says so, when the German table cannot be loaded', async () => {
    renderPanel({ config: { lang: 'de' }, loadStrings: () => Promise.reject(new Error('offline')) });
    expect(await screen.findByRole('button', { name: 'Send' })).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Message' })).toBeTruthy();
    expect(screen.getByRole('dialog').getAttribute('lang')).toBe('en');
  });

  it('does not fetch anything for English, which is built in', async () => {
    const loadStrings = vi.fn(serverStrings);
    renderPanel({ config: { lang: 'en' }, loadStrings });
    expect(screen.getByRole('button', { name: 'Send' })).toBeTruthy();
    expect(loadStrings).not.toHaveBeenCalled();
  });
});

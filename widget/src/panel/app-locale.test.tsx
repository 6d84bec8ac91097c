import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, screen } from '@testing-library/preact';
import { renderPanel } from '../test-support/render-panel.tsx';
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
});

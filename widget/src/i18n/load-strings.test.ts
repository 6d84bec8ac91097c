import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchStrings, onlyStrings } from './load-strings.ts';

afterEach(() => vi.unstubAllGlobals());

describe('loading a language table', () => {
  it('asks the server the widget came from, and never asks for English', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ send: 'Senden' }), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    const load = fetchStrings('http://parley.test');
    expect(await load('de')).toEqual({ send: 'Senden' });
    expect(await load('en')).toEqual({});
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(fetchMock.mock.calls[0]).toEqual(['http://parley.test/widget-i18n/de.json', expect.anything()]);
  });

  it('rejects when the server has no table, so the panel falls back to English', async () => {
    vi.stubGlobal('fetch', async () => new Response('{"ok":false}', { status: 404 }));
    await expect(fetchStrings('http://parley.test')('xx')).rejects.toThrow(/no strings for "xx"/);
  });

  it('keeps only known keys with text values', () => {
    expect(onlyStrings({ send: 'Senden', retry: 5, evil: 'x', __proto__: { skip: 'no' } })).toEqual({ send: 'Senden' });
    expect(onlyStrings(null)).toEqual({});
    expect(onlyStrings('Senden')).toEqual({});
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PanelBridge, PanelController } from '../bridge.ts';
import type { ParleyApi } from './api.ts';
import { boot } from './boot.ts';

function scriptTag(data: Record<string, string> = { site: 'demo' }): HTMLScriptElement {
  const s = document.createElement('script');
  s.src = 'http://parley.test:3000/widget.js';
  for (const [k, v] of Object.entries(data)) s.dataset[k] = v;
  return s;
}

/** boots the loader with a stand-in for the panel script */
function start(data?: Record<string, string>) {
  const bridges: PanelBridge[] = [];
  const api = boot(scriptTag(data), (b) => bridges.push(b)) as ParleyApi;
  const host = document.querySelector('parley-widget')!;
  const root = host.shadowRoot!;
  const launcher = root.querySelector('button')!;
  return { api, bridges, root, launcher };
}

const bot = { id: 1, conversationId: 'c1', seq: 1, clientId: null, author: 'bot' as const, authorName: null, text: 'Hi', reply: null, createdAt: 1 };

beforeEach(() => {
  delete window.Parley;
  localStorage.clear();
  document.body.innerHTML = '';
});
afterEach(() => vi.restoreAllMocks());

describe('loader', () => {
  it('draws an accessible launcher in an open shadow root, bottom-left when asked, in the embed colour', () => {
    const { launcher, root } = start({ site: 'demo', position: 'bottom-left', color: '#ff0000', lang: 'es' });
    expect(launcher.getAttribute('aria-label')).toBe('Abrir chat');
    // its name is Spanish whatever the page's language: screen readers need to know
    expect((root.host as HTMLElement).lang).toBe('es');
    expect(launcher.getAttribute('aria-expanded')).toBe('false');
    const wrap = root.querySelector('div')!;
    expect(wrap.className).toBe('pl-left');
    expect(wrap.style.getPropertyValue('--pl-color')).toBe('#ff0000');
  });

  it("labels the launcher 'Open chat' in English and loads the panel only on first open", () => {
    const { launcher, bridges, root } = start();
    expect(launcher.getAttribute('aria-label')).toBe('Open chat');
    expect(bridges).toHaveLength(0);
    launcher.click();
    expect(bridges).toHaveLength(1);
    expect(bridges[0]!.config).toMatchObject({ siteKey: 'demo', base: 'http://parley.test:3000' });
    expect((root.querySelector('.pl-panel') as HTMLElement).hidden).toBe(false);
    launcher.click();
    launcher.click();
    expect(bridges).toHaveLength(1);
  });

  it('loads the panel at once when a conversation is under way', () => {
    localStorage.setItem('parley:demo:open', 'c1');
    const { bridges, root } = start();
    expect(bridges).toHaveLength(1);
    expect((root.querySelector('.pl-panel') as HTMLElement).hidden).toBe(true);
  });

  it('closes when the panel asks (Escape) and returns focus to the launcher', () => {
    const { launcher, bridges, root, api } = start();
    const closed = vi.fn();
    api.on('close', closed);
    api.open();
    bridges[0]!.requestClose();
    expect((root.querySelector('.pl-panel') as HTMLElement).hidden).toBe(true);
    expect(root.activeElement).toBe(launcher);
    expect(closed).toHaveBeenCalledTimes(1);
  });

  it('counts bot and agent messages that arrive while closed on an unread badge', () => {
    const { launcher, bridges, root, api } = start();
    const unread = vi.fn();
    api.on('unread', unread);
    api.open();
    api.close();
    const bridge = bridges[0]!;
    bridge.notify('message', bot);
    bridge.notify('message', { ...bot, id: 2, seq: 2, author: 'agent' });
    bridge.notify('message', { ...bot, id: 3, seq: 3, author: 'visitor' });
    const badge = root.querySelector('.pl-badge') as HTMLElement;
    expect(badge.hidden).toBe(false);
    expect(badge.textContent).toBe('2');
    expect(launcher.getAttribute('aria-label')).toBe('Open chat (2 unread messages)');
    expect(unread).toHaveBeenLastCalledWith(2);
    api.open();
    expect(badge.hidden).toBe(true);
    bridge.notify('message', { ...bot, id: 4, seq: 4 });
    expect(badge.hidden).toBe(true);
  });

  it('hands calls to the panel once it attaches, and tells it when it opens', async () => {
    const { api, bridges } = start();
    api.start('csat');
    const controller: PanelController = {
      setOpen: vi.fn(),
      start: vi.fn(),
      identify: vi.fn(async () => ({ verified: true })),
    };
    const identified = api.identify({ id: 'u1', userHash: 'abc' });
    bridges[0]!.attach(controller);
    expect(controller.setOpen).toHaveBeenCalledWith(true, true);
    expect(controller.start).toHaveBeenCalledWith('csat');
    await expect(identified).resolves.toEqual({ verified: true });
  });
});

describe('window.Parley', () => {
  it('replays calls queued by the stub snippet before the script loaded', () => {
    const events: string[] = [];
    // the documented stub: method calls push [name, args]; Parley('name', ...) pushes its arguments
    const stub = Object.assign(
      function (...args: unknown[]) {
        stub.q.push(args);
      },
      { q: [] as unknown[] },
    );
    for (const m of ['open', 'on'] as const) Object.assign(stub, { [m]: (...args: unknown[]) => stub.q.push([m, args]) });
    window.Parley = stub;
    (stub as unknown as { on: (e: string, f: () => void) => void }).on('ready', () => events.push('ready'));
    (stub as unknown as { on: (e: string, f: () => void) => void }).on('open', () => events.push('open'));
    stub('open');
    const { root, api } = start();
    expect(window.Parley).toBe(api);
    expect(events).toEqual(['open', 'ready']);
    expect((root.querySelector('.pl-panel') as HTMLElement).hidden).toBe(false);
  });

  it('throws a clear error for API misuse, and a bad queued call does not stop the rest', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    window.Parley = { q: [['start', [42]], ['open', []]] };
    const { api, root } = start();
    expect(errors).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/start\(flowId\)/) }));
    expect((root.querySelector('.pl-panel') as HTMLElement).hidden).toBe(false);
    expect(() => api.start(7 as unknown as string)).toThrow(/non-empty string/);
    expect(() => api.identify({} as unknown as { id: string })).toThrow(/id must be a string/);
    expect(() => api.on('nope' as 'open', () => {})).toThrow(/unknown event/);
    expect(() => api('explode')).toThrow(/unknown method/);
    expect(() => api('open')).not.toThrow();
  });

  it('needs data-site, and says so', () => {
    expect(() => boot(scriptTag({}))).toThrow(/data-site/);
  });

  it('fires ready for handlers added later too', () => {
    const { api } = start();
    const ready = vi.fn();
    api.on('ready', ready);
    expect(ready).toHaveBeenCalledTimes(1);
  });
});

describe('loader resilience', () => {
  it('tries to load the panel again on the next open when the download failed', () => {
    delete window.Parley;
    const attempts: (() => void)[] = [];
    const api = boot(scriptTag(), (_b, failed) => attempts.push(failed)) as ParleyApi;
    api.open();
    expect(attempts).toHaveLength(1);
    attempts[0]!();
    api.close();
    api.open();
    expect(attempts).toHaveLength(2);
  });

  it('moves focus back to the launcher when the page closes the chat while focus is inside', () => {
    delete window.Parley;
    const bridges: PanelBridge[] = [];
    const api = boot(scriptTag(), (b) => bridges.push(b)) as ParleyApi;
    api.open();
    const input = document.createElement('textarea');
    bridges[0]!.mount.appendChild(input);
    input.focus();
    api.close();
    const root = document.querySelector('parley-widget')!.shadowRoot!;
    expect(root.activeElement).toBe(root.querySelector('.pl-launcher'));
  });
});

import css from './launcher.css?inline';
import { adoptStyles } from '../adopt-styles.ts';
import { applyBrandColor } from './brand-color.ts';
import type { EmbedConfig } from '../bridge.ts';
import { fill } from '../i18n/pick-lang.ts';
import type { LauncherStrings } from '../../../shared/widget-i18n/launcher-strings.ts';

export interface Launcher {
  host: HTMLElement;
  root: ShadowRoot;
  button: HTMLButtonElement;
  /** where the panel renders */
  mount: HTMLElement;
  setOpen(open: boolean): void;
  setUnread(count: number): void;
  setSite(site: { launcherLabel?: string; color?: string }): void;
}

const ICON = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg>';

/** The host element with an open shadow root, the launcher button, its badge and the panel slot. */
export function createLauncher(config: EmbedConfig, strings: LauncherStrings): Launcher {
  const host = document.createElement('parley-widget');
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root, css);
  const wrap = document.createElement('div');
  if (config.position === 'bottom-left') wrap.className = 'pl-left';
  if (config.color) applyBrandColor(wrap, config.color);

  const mount = document.createElement('div');
  mount.className = 'pl-panel';
  mount.id = 'pl-panel';
  mount.hidden = true;

  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'pl-launcher';
  button.innerHTML = ICON; // a constant, never visitor text
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', mount.id);
  const badge = document.createElement('span');
  badge.className = 'pl-badge';
  badge.hidden = true;
  badge.setAttribute('aria-hidden', 'true');
  button.appendChild(badge);

  let label = strings.launcherLabel;
  let unread = 0;
  const render = () => {
    button.setAttribute('aria-label', unread ? `${label} (${fill(strings.unreadLabel, { n: unread })})` : label);
    badge.textContent = String(unread);
    badge.hidden = !unread;
  };
  render();
  wrap.append(mount, button);
  root.appendChild(wrap);

  return {
    host,
    root,
    button,
    mount,
    setOpen(open) {
      mount.hidden = !open;
      button.setAttribute('aria-expanded', String(open));
    },
    setUnread(count) {
      unread = count;
      render();
    },
    setSite(site) {
      if (site.launcherLabel) label = site.launcherLabel;
      if (site.color && !config.color) applyBrandColor(wrap, site.color);
      render();
    },
  };
}

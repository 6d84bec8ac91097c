import { readConfig } from './config.ts';
import { createLauncher } from './launcher.ts';
import { createWidget } from './widget.ts';
import { createApi, replay, type ParleyApi } from './api.ts';
import { loadPanelScript } from './panel-script.ts';
import { launcherStrings } from '../../../shared/widget-i18n/launcher-strings.ts';
import { pickLang } from '../i18n/pick-lang.ts';
import { openKey, readItem } from '../storage.ts';

declare global {
  interface Window {
    Parley?: ParleyApi | { q?: unknown };
  }
}

/** Installs the widget for the given script tag; returns the API (the existing one if already installed). */
export function boot(tag: HTMLScriptElement | null, load = loadPanelScript): ParleyApi | undefined {
  const previous = window.Parley;
  if (previous && 'loaded' in previous) return previous; // widget.js included twice
  const config = readConfig(tag);
  const lang = pickLang([config.lang, navigator.language], Object.keys(launcherStrings)) as keyof typeof launcherStrings;
  const ui = createLauncher(config, launcherStrings[lang] ?? launcherStrings.en);
  // the launcher's name is in this language, whatever the host page's is (WCAG 3.1.2)
  ui.host.lang = lang;
  const widget = createWidget(config, ui, load);
  const api = createApi(widget);
  window.Parley = api;
  const attach = () => document.body.appendChild(ui.host);
  if (document.body) attach();
  else document.addEventListener('DOMContentLoaded', attach);

  replay(api, previous?.q);
  if (config.open) widget.open(false);
  else if (readItem(openKey(config.siteKey))) widget.preload();
  widget.ready();
  return api;
}

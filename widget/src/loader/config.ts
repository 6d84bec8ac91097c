import type { EmbedConfig } from '../bridge.ts';

/** Reads the embed's script tag. Throws a clear Error when the tag cannot work. */
export function readConfig(script: HTMLScriptElement | null): EmbedConfig {
  const d = script?.src ? script.dataset : {};
  // one message for both mistakes: every byte here ships to every host page
  if (!d.site) throw new Error('Parley: load it as <script src="…/widget.js" data-site="SITE_KEY">');
  return {
    siteKey: d.site,
    base: new URL(script!.src, location.href).origin,
    flowId: d.flow || undefined,
    lang: d.lang || undefined,
    position: d.position === 'bottom-left' ? 'bottom-left' : undefined,
    // only a plain hex colour: it goes into a CSS custom property
    color: d.color && /^#[0-9a-f]{3,8}$/i.test(d.color) ? d.color : undefined,
    open: d.open !== undefined && d.open !== 'false',
  };
}

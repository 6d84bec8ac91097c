/**
 * dist/widget.js: the only thing a host page downloads before the visitor opens the chat.
 * Plain DOM (no Preact, no socket.io): reads the script tag, installs window.Parley, draws the
 * launcher, and loads the panel on first open.
 */
import { boot } from './boot.ts';

// document.currentScript is only set while this script's top level runs
const script = document.currentScript as HTMLScriptElement | null;

try {
  boot(script);
} catch (e) {
  // never throw into the host page; the message says what to fix in the tag
  console.error(e);
}

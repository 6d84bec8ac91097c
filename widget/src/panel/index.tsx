/**
 * dist/widget-panel.js: the chat panel (Preact + socket.io-client), loaded by widget.js on first
 * open. The loader hands over its shadow root on this script's own <script> element.
 */
import { BRIDGE_PROP, type ScriptWithBridge } from '../bridge.ts';
import { mountPanel } from './mount.tsx';

// document.currentScript is only set while this script's top level runs
const script = document.currentScript as ScriptWithBridge | null;
const bridge = script?.[BRIDGE_PROP];

try {
  if (bridge) mountPanel(bridge);
  else console.error('Parley: widget-panel.js is loaded by widget.js; include widget.js instead');
} catch (e) {
  // never throw into the host page
  console.error(e);
}

import { render } from 'preact';
import css from './panel.css?inline';
import { adoptStyles } from '../adopt-styles.ts';
import type { PanelBridge } from '../bridge.ts';
import { App, type AppProps } from './app.tsx';
import { createSocketIo } from './connection/socket-io.ts';

/** Renders the panel into the loader's shadow root. */
export function mountPanel(bridge: PanelBridge, createSocket: AppProps['createSocket'] = createSocketIo): void {
  adoptStyles(bridge.root, css);
  render(<App bridge={bridge} createSocket={createSocket} />, bridge.mount);
}

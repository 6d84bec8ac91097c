import { BRIDGE_PROP, type PanelBridge, type ScriptWithBridge } from '../bridge.ts';

/** Loads dist/widget-panel.js from the server and hands it the bridge on its own <script> element. */
export function loadPanelScript(bridge: PanelBridge, failed: () => void): void {
  const script: ScriptWithBridge = document.createElement('script');
  script.async = true;
  script.src = `${bridge.config.base}/widget-panel.js`;
  script[BRIDGE_PROP] = bridge;
  script.onerror = () => {
    script.remove();
    failed();
    console.warn('Parley: chat panel failed to load');
  };
  (document.head || document.documentElement).appendChild(script);
}

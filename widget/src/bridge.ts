/**
 * The seam between the loader (dist/widget.js, tiny, always downloaded) and the panel
 * (dist/widget-panel.js, loaded on first open). The loader puts a PanelBridge on the <script>
 * element it creates; the panel reads it from document.currentScript, so no second global exists.
 */
import type { Message } from '../../shared/message.ts';
import type { ConversationView } from '../../shared/conversation.ts';

export interface EmbedConfig {
  siteKey: string;
  /** origin of the server, taken from the script's src */
  base: string;
  flowId?: string;
  lang?: string;
  position?: 'bottom-right' | 'bottom-left';
  color?: string;
  open?: boolean;
}

export interface Identity {
  id: string;
  name?: string;
  email?: string;
  userHash?: string;
}

export interface IdentifyResult {
  verified: boolean;
  error?: { code: string; message: string };
}

/** What the panel offers the loader once it is running. */
export interface PanelController {
  /** `focus`: move focus into the composer (user-initiated opens, not data-open) */
  setOpen(open: boolean, focus: boolean): void;
  start(flowId: string): void;
  identify(identity: Identity): Promise<IdentifyResult>;
}

/** Events the panel reports; the loader turns them into Parley.on() events and the badge. */
export interface PanelEvents {
  message: Message;
  'conversation:end': { conversation: ConversationView | null; reason: string };
  /** the site's launcher label and colour, once known from the server */
  site: { launcherLabel?: string; color?: string };
}

export interface PanelBridge {
  config: EmbedConfig;
  root: ShadowRoot;
  /** the element the panel renders into, inside the shadow root */
  mount: HTMLElement;
  isOpen(): boolean;
  /** the panel asks to close (close button, Escape): the loader hides it and refocuses the launcher */
  requestClose(): void;
  notify<K extends keyof PanelEvents>(event: K, payload: PanelEvents[K]): void;
  attach(controller: PanelController): void;
}

/** The property name on the panel's <script> element that carries the bridge. */
export const BRIDGE_PROP = 'parleyBridge';

export type ScriptWithBridge = HTMLScriptElement & { [BRIDGE_PROP]?: PanelBridge };

import type { EmbedConfig, Identity, IdentifyResult, PanelBridge, PanelController } from '../bridge.ts';
import type { Launcher } from './launcher.ts';

export const EVENTS = ['ready', 'open', 'close', 'message', 'conversation:end', 'unread'] as const;
export type WidgetEvent = (typeof EVENTS)[number];
export type Handler = (payload?: unknown) => void;

export interface Widget {
  open(focus?: boolean): void;
  close(): void;
  start(flowId: string): void;
  identify(identity: Identity): Promise<IdentifyResult>;
  on(event: WidgetEvent, fn: Handler): () => void;
  /** marks the API as ready and fires `ready` */
  ready(): void;
  /** loads the panel without opening it (a conversation is under way: its replies feed the badge) */
  preload(): void;
}

/**
 * The loader's state: open/closed, unread count, and the panel (loaded once, on first open or at
 * once when a conversation is under way). Calls that need the panel wait for it to attach.
 */
export function createWidget(
  config: EmbedConfig,
  ui: Launcher,
  loadPanel: (bridge: PanelBridge, failed: () => void) => void,
): Widget {
  const handlers: Partial<Record<WidgetEvent, Handler[]>> = {};
  const waiting: ((c: PanelController) => void)[] = [];
  let controller: PanelController | undefined;
  let loading = false;
  let isOpen = false;
  let isReady = false;
  let unread = 0;

  const emit = (event: WidgetEvent, payload?: unknown) => {
    for (const fn of (handlers[event] ?? []).slice()) {
      try {
        fn(payload);
      } catch (e) {
        // a host page's handler must not break the widget
        console.error(e);
      }
    }
  };
  const setUnread = (n: number) => {
    if (n === unread) return;
    unread = n;
    ui.setUnread(n);
    emit('unread', n);
  };
  const ensurePanel = () => {
    if (loading) return;
    loading = true;
    // a failed download is tried again on the next open
    loadPanel(bridge, () => (loading = false));
  };
  const withPanel = (fn: (c: PanelController) => void, load: boolean) => {
    if (controller) fn(controller);
    else {
      waiting.push(fn);
      if (load) ensurePanel();
    }
  };
  const setOpen = (open: boolean, focus: boolean) => {
    if (open === isOpen) return;
    isOpen = open;
    ui.setOpen(open);
    if (open) {
      setUnread(0);
      ensurePanel();
    }
    controller?.setOpen(open, focus);
    emit(open ? 'open' : 'close');
    // focus must not stay inside a hidden panel, whoever closed it
    if (!open && (focus || ui.mount.contains(ui.root.activeElement))) ui.button.focus();
  };

  const bridge: PanelBridge = {
    config,
    root: ui.root,
    mount: ui.mount,
    isOpen: () => isOpen,
    requestClose: () => setOpen(false, true),
    notify(event, payload) {
      if (event === 'site') ui.setSite(payload as { launcherLabel?: string; color?: string });
      else emit(event, payload);
      if (event === 'message') {
        const author = (payload as { author?: string }).author;
        if (!isOpen && (author === 'bot' || author === 'agent')) setUnread(unread + 1);
      }
    },
    attach(c) {
      controller = c;
      c.setOpen(isOpen, isOpen);
      for (const fn of waiting.splice(0)) fn(c);
    },
  };

  ui.button.addEventListener('click', () => setOpen(!isOpen, true));

  return {
    open: (focus = true) => setOpen(true, focus),
    close: () => setOpen(false, false),
    start(flowId) {
      setOpen(true, true);
      withPanel((c) => c.start(flowId), true);
    },
    identify: (identity) => new Promise((resolve) => withPanel((c) => void c.identify(identity).then(resolve), false)),
    on(event, fn) {
      (handlers[event] ??= []).push(fn);
      if (event === 'ready' && isReady) fn();
      return () => {
        const list = handlers[event];
        const i = list ? list.indexOf(fn) : -1;
        if (list && i >= 0) list.splice(i, 1);
      };
    },
    ready() {
      isReady = true;
      emit('ready');
    },
    preload: ensurePanel,
  };
}

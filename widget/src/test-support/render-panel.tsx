import { render } from '@testing-library/preact';
import { vi } from 'vitest';
import type { EmbedConfig, PanelBridge, PanelController } from '../bridge.ts';
import type { ConversationView } from '../../../shared/conversation.ts';
import type { Message } from '../../../shared/message.ts';
import type { PublicSiteSettings } from '../../../shared/site.ts';
import { App } from '../panel/app.tsx';
import { FakeSocket } from './fake-socket.ts';
import type { LoadStrings } from '../i18n/load-strings.ts';
import { WIDGET_STRING_TABLES } from '../../../shared/widget-i18n/tables.ts';

export interface PanelOptions {
  config?: Partial<EmbedConfig>;
  conversation?: ConversationView | null;
  messages?: Message[];
  site?: PublicSiteSettings;
  /** the network is down when the panel starts */
  offline?: boolean;
  /** prepare the socket before it connects (e.g. change responders) */
  setup?: (socket: FakeSocket) => void;
  /** how the panel gets a language's table; by default the tables the server would serve */
  loadStrings?: LoadStrings;
  /** the loader shows the panel (default true) */
  open?: boolean;
}

/** What GET /widget-i18n/<lang>.json answers, without the network. */
export const serverStrings: LoadStrings = async (lang) => {
  const table = (WIDGET_STRING_TABLES as Record<string, object | undefined>)[lang];
  if (!table) throw new Error(`no strings for ${lang}`);
  return table;
};

/** Renders the panel as the loader would, with a fake socket in place of socket.io. */
export function renderPanel(opts: PanelOptions = {}) {
  let socket: FakeSocket | undefined;
  let controller: PanelController | undefined;
  const bridge = {
    config: { siteKey: 'demo', base: 'http://parley.test', ...opts.config },
    root: document.createElement('div').attachShadow({ mode: 'open' }),
    mount: document.createElement('div'),
    isOpen: () => opts.open ?? true,
    requestClose: vi.fn<() => void>(),
    notify: vi.fn<PanelBridge['notify']>(),
    attach: (c: PanelController) => {
      controller = c;
    },
  } satisfies PanelBridge;
  const view = render(
    <App
      bridge={bridge}
      loadStrings={opts.loadStrings ?? serverStrings}
      createSocket={(_base, auth) => {
        socket = new FakeSocket(auth, opts);
        socket.online = !opts.offline;
        opts.setup?.(socket);
        return socket;
      }}
    />,
  );
  if (!socket || !controller) throw new Error('the panel did not create its socket or attach');
  return { ...view, socket, bridge, controller };
}

import { useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import type { PanelBridge } from '../bridge.ts';
import { choosePanelLang, createTranslator, type StringTable } from '../i18n/translator.ts';
import { fetchStrings, type LoadStrings } from '../i18n/load-strings.ts';
import { createConnection, type Connection } from './connection/connection.ts';
import type { SocketLike } from './connection/socket-like.ts';
import { reducer } from './state/reducer.ts';
import { initialState, type PanelState } from './state/types.ts';
import { Header } from './components/header.tsx';
import { StatusBanner } from './components/status-banner.tsx';
import { MessageList } from './components/message-list.tsx';
import { QuickReplies } from './components/quick-replies.tsx';
import { Composer } from './components/composer.tsx';
import { EndedFooter } from './components/ended-footer.tsx';

export interface AppProps {
  bridge: PanelBridge;
  createSocket: (base: string, auth: SocketLike['auth']) => SocketLike;
  ackTimeoutMs?: number;
  /** fetches a language's table; defaults to the server the widget came from */
  loadStrings?: LoadStrings;
}

/** The language the panel shows and its table: the chosen one once it arrived, English if it failed. */
interface Shown {
  lang: string;
  table: StringTable;
}

/** The quick replies to offer: those of the last message, if it is the bot's or a person's. */
function currentReply(state: PanelState) {
  const last = state.messages[state.messages.length - 1];
  if (!last || last.author === 'visitor' || !last.reply || state.conversation?.status !== 'open') return null;
  if (state.outbox.some((e) => !e.final)) return null;
  return { seq: last.seq, reply: last.reply };
}

export function App({ bridge, createSocket, ackTimeoutMs, loadStrings }: AppProps) {
  const [state, dispatch] = useReducer(reducer, initialState);
  const [open, setOpen] = useState(bridge.isOpen());
  const [focusTick, setFocusTick] = useState(open ? 1 : 0);
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const restartRef = useRef<HTMLButtonElement>(null);
  const lang = choosePanelLang(bridge.config.lang, state.site?.locale);
  // nothing renders until the chosen language's table is here (or failed), so no flash of English
  const [shown, setShown] = useState<Shown | null>(() => (lang === 'en' ? { lang, table: {} } : null));
  const t = useMemo(
    () => createTranslator(shown?.lang ?? 'en', shown?.table, state.site?.strings),
    [shown, state.site],
  );

  const [conn] = useState<Connection>(() =>
    createConnection({
      config: bridge.config,
      lang,
      createSocket,
      dispatch,
      ackTimeoutMs,
      events: {
        message: (m) => bridge.notify('message', m),
        ended: (conversation, reason) => bridge.notify('conversation:end', { conversation, reason }),
        site: (site) => bridge.notify('site', { launcherLabel: (Object.prototype.hasOwnProperty.call(site.strings, lang) ? site.strings[lang]?.launcherLabel : undefined), color: site.color }),
      },
    }),
  );

  useEffect(() => {
    if (shown?.lang === lang) return;
    let live = true;
    // runs beside the socket's connect below, so the table costs no extra round trip
    (loadStrings ?? fetchStrings(bridge.config.base))(lang).then(
      (table) => live && setShown({ lang, table }),
      () => live && setShown({ lang: 'en', table: {} }),
    );
    return () => {
      live = false;
    };
  }, [lang]);

  useEffect(() => {
    bridge.attach({
      setOpen(next, focus) {
        setOpen(next);
        conn.setOpen(next);
        if (next && focus) setFocusTick((n) => n + 1);
      },
      start: (flowId) => void conn.start(flowId),
      identify: (identity) => conn.identify(identity),
    });
    conn.setOpen(bridge.isOpen());
    conn.connect();
    return () => conn.disconnect();
  }, []);

  const ended = state.conversation?.status === 'ended';
  useEffect(() => {
    if (focusTick) (ended ? restartRef.current : composerRef.current)?.focus();
  }, [focusTick, !!shown]);

  const reply = currentReply(state);
  const site = state.site;
  // the server refused this page for good: typing or clicking would only leave messages "Sending…" forever
  const cannotSend = state.status === 'unavailable';
  if (!shown) return null;
  return (
    <div
      class="pl-root"
      role="dialog"
      // the host page may be in another language: screen readers switch voice here (WCAG 3.1.2)
      lang={shown.lang}
      aria-label={site?.name ?? t('chatTitle')}
      hidden={!open}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          bridge.requestClose();
        }
      }}
    >
      <Header title={site?.name ?? t('chatTitle')} t={t} onClose={() => bridge.requestClose()} />
      <StatusBanner status={state.status} banner={state.banner} t={t} />
      <MessageList state={state} t={t} open={open} onRetry={() => conn.retry()} />
      {reply && (
        <QuickReplies
          key={reply.seq}
          reply={reply.reply}
          t={t}
          lang={shown.lang}
          humansAvailable={site?.humansAvailable ?? true}
          humansBackAt={site?.humansBackAt ?? null}
          disabled={cannotSend}
          onSend={(text, value) => conn.send(text, value)}
        />
      )}
      {ended ? (
        <EndedFooter t={t} buttonRef={restartRef} onRestart={() => void conn.start(undefined, true)} />
      ) : (
        <Composer
          t={t}
          inputRef={composerRef}
          disabled={cannotSend}
          onFocusLost={() => setFocusTick((n) => n + 1)}
          onSend={(text) => conn.send(text)}
          onTyping={(active) => conn.typing(active)}
          onTooLong={() => dispatch({ type: 'banner', banner: { kind: 'tooLong' } })}
        />
      )}
    </div>
  );
}

import { useEffect, useRef, useState } from 'preact/hooks';
import type { Ref } from 'preact';
import { LIMITS } from '../../../../shared/errors.ts';
import type { Translate } from '../../i18n/translator.ts';

interface Props {
  t: Translate;
  onSend: (text: string) => void;
  onTooLong: () => void;
  onTyping: (active: boolean) => void;
  inputRef: Ref<HTMLTextAreaElement>;
  /** the chat cannot send at all (e.g. this page is not allowed): nothing can be typed */
  disabled?: boolean;
  /** the box is going away while it has focus (the conversation ended): focus belongs somewhere else */
  onFocusLost?: () => void;
}

/** Enter sends, Shift+Enter starts a new line; near the limit a counter shows what is left. */
const TYPING_IDLE_MS = 4000;
/** a counter all the time is noise: it appears when the limit is close enough to matter */
const COUNT_FROM = 200;

export function Composer({ t, onSend, onTooLong, onTyping, inputRef, disabled = false, onFocusLost }: Props) {
  const [text, setText] = useState('');
  const idle = useRef<ReturnType<typeof setTimeout>>(undefined);
  const typing = (active: boolean) => {
    clearTimeout(idle.current);
    if (active) idle.current = setTimeout(() => onTyping(false), TYPING_IDLE_MS);
    onTyping(active);
  };
  const lost = useRef(onFocusLost);
  lost.current = onFocusLost;
  // tracked by events: by the time the cleanup below runs, the refs to the box are already cleared
  const focused = useRef(false);
  useEffect(
    () => () => {
      clearTimeout(idle.current);
      // a focused box that is removed would otherwise leave focus on the page body
      if (focused.current) lost.current?.();
    },
    [],
  );
  const left = LIMITS.MESSAGE_MAX_CHARS - text.length;
  const showCount = left <= COUNT_FROM;
  const submit = () => {
    const value = text.trim();
    if (!value || disabled) return;
    if (value.length > LIMITS.MESSAGE_MAX_CHARS) return onTooLong();
    typing(false);
    onSend(value);
    setText('');
  };
  return (
    <form
      class="pl-composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <textarea
        ref={inputRef}
        rows={1}
        aria-label={t('messageLabel')}
        aria-describedby={showCount ? 'pl-count' : undefined}
        placeholder={t('placeholder')}
        disabled={disabled}
        value={text}
        onFocus={() => (focused.current = true)}
        onBlur={() => (focused.current = false)}
        onInput={(e) => {
          setText(e.currentTarget.value);
          typing(e.currentTarget.value.length > 0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
      />
      {showCount && (
        <span id="pl-count" class={left < 0 ? 'pl-count pl-over' : 'pl-count'} aria-live={left < 100 ? 'polite' : 'off'}>
          {t('charsLeft', { n: left })}
        </span>
      )}
      <button type="submit" class="pl-send" aria-label={t('send')} disabled={disabled}>
        <span aria-hidden="true">➤</span>
      </button>
    </form>
  );
}

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
}

/** Enter sends, Shift+Enter starts a new line; a counter shows what is left of the limit. */
const TYPING_IDLE_MS = 4000;

export function Composer({ t, onSend, onTooLong, onTyping, inputRef }: Props) {
  const [text, setText] = useState('');
  const idle = useRef<ReturnType<typeof setTimeout>>(undefined);
  const typing = (active: boolean) => {
    clearTimeout(idle.current);
    if (active) idle.current = setTimeout(() => onTyping(false), TYPING_IDLE_MS);
    onTyping(active);
  };
  useEffect(() => () => clearTimeout(idle.current), []);
  const left = LIMITS.MESSAGE_MAX_CHARS - text.length;
  const submit = () => {
    const value = text.trim();
    if (!value) return;
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
        aria-describedby="pl-count"
        placeholder={t('placeholder')}
        value={text}
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
      <span id="pl-count" class={left < 0 ? 'pl-count pl-over' : 'pl-count'} aria-live={left < 100 ? 'polite' : 'off'}>
        {t('charsLeft', { n: left })}
      </span>
      <button type="submit" class="pl-send" aria-label={t('send')}>
        <span aria-hidden="true">➤</span>
      </button>
    </form>
  );
}

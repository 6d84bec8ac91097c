import { useState } from 'preact/hooks';
import type { ReplyOptions } from '../../../../shared/message.ts';
import type { Translate } from '../../i18n/translator.ts';
import { AwayNotice } from './away-notice.tsx';

/** Values the engine understands (server/conversation/intents.ts REPLY_VALUES). */
const SKIP_VALUE = '__skip';
const HUMAN_VALUE = 'human';

interface Props {
  reply: ReplyOptions;
  t: Translate;
  onSend: (text: string, value: string | string[]) => void;
  /** false outside business hours: the "talk to a person" option becomes a notice */
  humansAvailable: boolean;
  humansBackAt: number | null;
  lang: string;
  /** nothing can be sent (e.g. this page is not allowed) */
  disabled?: boolean;
}

const SCALE_ENDS_ID = 'pl-scale-ends';

export function QuickReplies({ reply, t, onSend, humansAvailable, humansBackAt, lang, disabled = false }: Props) {
  const [picked, setPicked] = useState<string[]>([]);
  const offersHuman = reply.options.some((o) => o.value === HUMAN_VALUE);
  const options = humansAvailable ? reply.options : reply.options.filter((o) => o.value !== HUMAN_VALUE);
  const toggle = (value: string) => setPicked((p) => (p.includes(value) ? p.filter((v) => v !== value) : [...p, value]));
  const sendPicked = () => {
    const chosen = options.filter((o) => picked.includes(o.value));
    if (chosen.length) onSend(chosen.map((o) => o.label).join(', '), chosen.map((o) => o.value));
  };

  const scale = reply.scale ?? null;
  const buttons = options.map((o) =>
    reply.multiple ? (
      <button
        key={o.value}
        type="button"
        class="pl-chip"
        aria-pressed={picked.includes(o.value) ? 'true' : 'false'}
        disabled={disabled}
        onClick={() => toggle(o.value)}
      >
        {o.label}
      </button>
    ) : (
      <button key={o.value} type="button" class="pl-chip" disabled={disabled} onClick={() => onSend(o.label, o.value)}>
        {o.label}
      </button>
    ),
  );

  return (
    <div class={scale ? 'pl-replies pl-has-scale' : 'pl-replies'} role="group" aria-describedby={scale ? SCALE_ENDS_ID : undefined}>
      {scale ? (
        // the buttons of a scale sit in one row with the meaning of both ends under them
        <div class="pl-scale">
          <div class="pl-scale-buttons">{buttons}</div>
          <p class="pl-scale-ends" id={SCALE_ENDS_ID}>
            <span>{scale.low}</span>
            <span class="pl-sr">, </span>
            <span>{scale.high}</span>
          </p>
        </div>
      ) : (
        buttons
      )}
      {reply.multiple && (
        <button type="button" class="pl-chip pl-primary" disabled={disabled || !picked.length} onClick={sendPicked}>
          {t('sendChoices')}
        </button>
      )}
      {reply.skippable && (
        <button type="button" class="pl-chip pl-skip" disabled={disabled} onClick={() => onSend(t('skip'), SKIP_VALUE)}>
          {t('skip')}
        </button>
      )}
      {offersHuman && !humansAvailable && <AwayNotice backAt={humansBackAt} lang={lang} t={t} />}
    </div>
  );
}

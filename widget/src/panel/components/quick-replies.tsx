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
}

export function QuickReplies({ reply, t, onSend, humansAvailable, humansBackAt, lang }: Props) {
  const [picked, setPicked] = useState<string[]>([]);
  const offersHuman = reply.options.some((o) => o.value === HUMAN_VALUE);
  const options = humansAvailable ? reply.options : reply.options.filter((o) => o.value !== HUMAN_VALUE);
  const toggle = (value: string) => setPicked((p) => (p.includes(value) ? p.filter((v) => v !== value) : [...p, value]));
  const sendPicked = () => {
    const chosen = options.filter((o) => picked.includes(o.value));
    if (chosen.length) onSend(chosen.map((o) => o.label).join(', '), chosen.map((o) => o.value));
  };

  return (
    <div class="pl-replies" role="group">
      {options.map((o) =>
        reply.multiple ? (
          <button
            key={o.value}
            type="button"
            class="pl-chip"
            aria-pressed={picked.includes(o.value) ? 'true' : 'false'}
            onClick={() => toggle(o.value)}
          >
            {o.label}
          </button>
        ) : (
          <button key={o.value} type="button" class="pl-chip" onClick={() => onSend(o.label, o.value)}>
            {o.label}
          </button>
        ),
      )}
      {reply.multiple && (
        <button type="button" class="pl-chip pl-primary" disabled={!picked.length} onClick={sendPicked}>
          {t('sendChoices')}
        </button>
      )}
      {reply.skippable && (
        <button type="button" class="pl-chip pl-skip" onClick={() => onSend(t('skip'), SKIP_VALUE)}>
          {t('skip')}
        </button>
      )}
      {offersHuman && !humansAvailable && <AwayNotice backAt={humansBackAt} lang={lang} t={t} />}
    </div>
  );
}

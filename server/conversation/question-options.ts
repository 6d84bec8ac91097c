/** The quick replies under a question: every closed question gets buttons; optional ones a skip. */
import type { Question } from '../../shared/flow.ts';
import type { QuickReply, ReplyOptions } from '../../shared/message.ts';
import { scaleOf } from './answer-parsing.ts';
import { REPLY_VALUES } from './intents.ts';

const SCALE_ENDS: Record<'csat' | 'ces', [string, string]> = {
  csat: ['Very dissatisfied', 'Very satisfied'],
  ces: ['Very difficult', 'Very easy'],
};

function scaleButtons(q: Question, min: number, max: number): QuickReply[] {
  const buttons: QuickReply[] = [];
  for (let n = min; n <= max; n++) {
    let label = String(n);
    if (q.type === 'stars') label = `${'★'.repeat(n)}`;
    else if (q.type === 'csat' || q.type === 'ces') {
      const [low, high] = SCALE_ENDS[q.type];
      if (n === min) label = `${n} – ${low}`;
      if (n === max) label = `${n} – ${high}`;
    }
    buttons.push({ label, value: String(n) });
  }
  return buttons;
}

export function questionOptions(q: Question): ReplyOptions | null {
  const skippable = q.optional;
  const scale = scaleOf(q);
  if (scale) return { options: scaleButtons(q, scale[0], scale[1]), multiple: false, skippable };
  switch (q.type) {
    case 'yes_no':
      return { options: [{ label: 'Yes', value: REPLY_VALUES.yes }, { label: 'No', value: REPLY_VALUES.no }], multiple: false, skippable };
    case 'single':
    case 'multiple':
      return { options: q.choices.map((c) => ({ label: c.label, value: c.value })), multiple: q.type === 'multiple', skippable };
    default:
      return skippable ? { options: [], multiple: false, skippable } : null;
  }
}

export const yesNoOptions = (yes = 'Yes', no = 'No'): ReplyOptions => ({
  options: [
    { label: yes, value: REPLY_VALUES.yes },
    { label: no, value: REPLY_VALUES.no },
  ],
  multiple: false,
  skippable: false,
});

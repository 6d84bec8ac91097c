/**
 * When to ask a visitor to elaborate. Text answers are probed when short, vague or negative; a
 * rating is "negative" when it sits in the bottom of its scale, so a low score can get a "why?".
 */
import type { Answer, Question } from '../../shared/flow.ts';
import { scaleOf } from './answer-parsing.ts';
import { readOpinion, tokenize } from './lexicon.ts';

export type ProbeReason = 'vague' | 'short' | 'negative';

const VAGUE = /^(it'?s |it was |was |all |pretty |just |really )?(fine|ok|okay|good|nice|great|bad|alright|nothing|everything|stuff|things|idk|dunno|whatever|not sure|no idea|i don'?t know|nothing really|nothing much|na|nah|meh|same|the usual|it depends|depends|no comment|none|some|various|many)[.!]*$/;

/** low ratings: NPS detractors, and the bottom two fifths of other scales */
function isLowRating(q: Question, value: number): boolean {
  const scale = scaleOf(q);
  if (!scale) return false;
  if (q.type === 'nps') return value <= 6;
  return value <= scale[0] + (scale[1] - scale[0]) * 0.4;
}

export function textProbeReason(text: string): ProbeReason | null {
  const t = text.toLowerCase().trim();
  if (VAGUE.test(t)) return 'vague';
  const opinion = readOpinion(t);
  if (opinion !== null && opinion.value < 0.4) return 'negative';
  if (tokenize(t).length < 4) return 'short';
  return null;
}

/** The reason to probe this answer now, or null (no probe set, used up, or not needed). */
export function probeReason(q: Question, answer: Answer, probesAsked: number): ProbeReason | null {
  if (!q.probe || probesAsked >= q.probe.max || answer.value === null) return null;
  const latest = answer.elaborations.at(-1) ?? answer.raw;
  let reason: ProbeReason | null = null;
  if (typeof answer.value === 'number') reason = probesAsked === 0 && isLowRating(q, answer.value) ? 'negative' : latest !== answer.raw ? textProbeReason(latest) : null;
  else if (q.type === 'text' || probesAsked > 0) reason = textProbeReason(latest);
  return reason && q.probe.when.includes(reason) ? reason : null;
}

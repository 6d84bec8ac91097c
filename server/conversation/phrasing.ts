/**
 * The offline provider's words: deterministic, plain English. Variation comes from the question's
 * position, not randomness, so a transcript replays identically.
 */
import type { AnswerValue, Question } from '../../shared/flow.ts';
import { scaleOf } from './answer-parsing.ts';
import type { ProbeReason } from './probes.ts';

const pick = <T>(list: readonly T[], n: number): T => list[Math.abs(n) % list.length] as T;

const ACKS = ['Thanks!', 'Got it.', 'Thank you.', 'Noted, thanks.', 'Great, thanks.'] as const;

/** a short acknowledgement of the answer just given, fitted to how it went */
export function acknowledge(q: Question, value: AnswerValue, n: number): string {
  if (value === null) return 'No problem, let’s move on.';
  if (typeof value === 'number') {
    const scale = scaleOf(q);
    if (scale) {
      const f = (value - scale[0]) / (scale[1] - scale[0]);
      if (f <= 0.4) return 'Thanks for being honest.';
      if (f >= 0.8) return pick(['Great to hear, thank you!', 'Thank you, that’s lovely to hear.'], n);
    }
  }
  return pick(ACKS, n);
}

/** a prompt that starts "Thanks! ..." or "Sorry we ..." needs no acknowledgement in front */
export function opensWithAck(prompt: string): boolean {
  return /^(thanks|thank you|great|wonderful|sorry|got it|noted|fair enough|perfect|ok|okay|nice|lovely|understood)\b/i.test(prompt.trim());
}

function scaleHint(q: Question): string {
  switch (q.type) {
    case 'nps':
      return `Pick a number from 0 (${q.lowLabel ?? 'not at all likely'}) to 10 (${q.highLabel ?? 'extremely likely'}).`;
    case 'csat':
      return 'Pick a number from 1 (very dissatisfied) to 5 (very satisfied).';
    case 'ces':
      return 'Pick a number from 1 (very difficult) to 7 (very easy).';
    case 'stars':
      return `Give it 1 to ${q.max} stars.`;
    case 'single':
      return `Pick one: ${q.choices.map((c) => c.label).join(', ')}.`;
    case 'multiple':
      return `Pick ${q.max !== undefined ? `up to ${q.max}` : 'any'} that apply${q.min > 1 ? ` (at least ${q.min})` : ''}: ${q.choices.map((c) => c.label).join(', ')}.`;
    case 'yes_no':
      return 'A simple yes or no is fine.';
    case 'text':
      return 'Just type your answer in your own words.';
  }
}

export function askAgain(q: Question): string {
  return `Sorry, I didn’t quite catch that. ${scaleHint(q)}${q.optional ? ' You can also skip this one.' : ''}`;
}

export function cannotSkip(q: Question): string {
  return `This one matters a lot to us, so I can’t skip it. ${scaleHint(q)}`;
}

function scaleWords(q: Question, value: number): string {
  const scale = scaleOf(q);
  if (!scale) return String(value);
  return q.type === 'stars' ? `${value} out of ${scale[1]} stars` : `${value} out of ${scale[1]}`;
}

export function confirmReading(q: Question, value: AnswerValue): string {
  if (typeof value === 'number') return `Just to check: would you put that at ${scaleWords(q, value)}?`;
  if (typeof value === 'boolean') return `Just to check: is that a ${value ? 'yes' : 'no'}?`;
  const labels = (Array.isArray(value) ? value : [String(value)]).map(
    (v) => (q.type === 'single' || q.type === 'multiple' ? q.choices.find((c) => c.value === v)?.label : undefined) ?? v,
  );
  return `Just to check: you mean ${labels.join(' and ')}?`;
}

export function askToCorrect(q: Question): string {
  return `No problem. ${scaleHint(q)}`;
}

export function probe(reason: ProbeReason, fixed: string | undefined, n: number): string {
  if (fixed) return fixed;
  switch (reason) {
    case 'negative':
      return pick(['I’m sorry to hear that. What happened, exactly?', 'Sorry about that. What was the biggest problem?'], n);
    case 'vague':
      return pick(['Could you tell me a bit more? What stood out for you?', 'What in particular makes you say that?'], n);
    case 'short':
      return pick(['Could you say a little more about that?', 'Would you mind adding a bit more detail?'], n);
  }
}

export const stopped = 'No problem, I’ll stop here. I’ve saved the answers you gave. Thanks for your time!';
export const alreadyFinished = 'This survey is already finished. Thanks again for taking part!';
export const humanRequested = 'I’ve let our team know you’d like to talk to a person; they’ll reply right here. In the meantime:';

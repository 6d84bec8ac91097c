/**
 * Offline reading of a visitor's reply onto a question: ratings (scale-reading.ts: numbers that are
 * the rating, number words and the scale's end labels in four languages), choices by label or
 * synonym, yes/no. Anything unsure comes back unconfident or unclear so the engine asks back.
 */
import type { AnswerValue, Choice, Question } from '../../shared/flow.ts';
import { RATING_SCALES } from '../../shared/flow.ts';
import type { WidgetLang } from '../../shared/widget-i18n/langs.ts';
import { isNo, isSkip, isStop, isYes, REPLY_VALUES } from './intents.ts';
import { tokenize } from './lexicon.ts';
import { confirmsNo, confirmsYes } from './yes-no-words.ts';
import { readScaleText, type AskWhy, type ScaleSpec } from './scale-reading.ts';

export type Reading =
  | { kind: 'value'; value: Exclude<AnswerValue, null>; confident: boolean; why?: AskWhy }
  | { kind: 'skip' }
  | { kind: 'stop' }
  /** why: what made the reading unsure; options: the values the visitor seemed to hesitate between */
  | { kind: 'unclear'; why?: AskWhy; options?: number[] };

export interface ReadOptions {
  /** the visitor's language (the widget's locale, or the language their text is in) */
  lang?: WidgetLang;
}

export type ScaleType = 'nps' | 'csat' | 'ces' | 'stars';

export function scaleOf(q: Question): [number, number] | null {
  if (q.type === 'stars') return [1, q.max];
  if (q.type === 'nps' || q.type === 'csat' || q.type === 'ces') return [RATING_SCALES[q.type][0], RATING_SCALES[q.type][1]];
  return null;
}

/** the scale a question's typed answer is read onto */
export function scaleSpec(q: Question, lang: WidgetLang): ScaleSpec | null {
  const scale = scaleOf(q);
  if (!scale || (q.type !== 'nps' && q.type !== 'csat' && q.type !== 'ces' && q.type !== 'stars')) return null;
  return { min: scale[0], max: scale[1], type: q.type, lang, ...(q.type === 'nps' ? { lowLabel: q.lowLabel, highLabel: q.highLabel } : {}) };
}

/** a typed answer read onto a scale from `min` to `max` (see scale-reading.ts for the rules) */
export function readScale(text: string, min: number, max: number, lang: WidgetLang = 'en'): Reading {
  const type = max === 10 && min === 0 ? 'nps' : max === 7 ? 'ces' : 'csat';
  return readScaleText(text, { min, max, type, lang });
}

function matchesPhrase(text: string, phrase: string): boolean {
  const p = phrase.toLowerCase().trim();
  if (!p) return false;
  const escaped = p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9])${escaped}($|[^a-z0-9])`).test(text.toLowerCase());
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];

/** choices the text names, by value, label, synonym, or position ("the second one", "2") */
export function readChoices(text: string, choices: Choice[]): Choice[] {
  const named = choices.filter((c) => [c.value, c.label, ...c.synonyms].some((p) => matchesPhrase(text, p)));
  if (named.length > 0) return named;
  const t = text.toLowerCase().trim();
  const byOrdinal = choices.filter((_, i) => new RegExp(`\\b${ORDINALS[i] ?? '#'}\\b`).test(t));
  if (byOrdinal.length > 0) return byOrdinal;
  const digits = t.match(/^(?:option\s*|number\s*|#)?(\d{1,2})\.?$/);
  if (digits?.[1]) {
    const c = choices[Number(digits[1]) - 1];
    if (c) return [c];
  }
  return [];
}

const ALL = /^(all( of (them|the above))?|everything|every one|each of them|all the above)$/;
const NONE = /^(none( of (them|the above))?|nothing|neither)$/;

function readYesNo(text: string): Reading {
  if (isYes(text) || confirmsYes(text)) return { kind: 'value', value: true, confident: true };
  if (isNo(text) || confirmsNo(text)) return { kind: 'value', value: false, confident: true };
  const words = tokenize(text);
  const yes = words.some((w) => ['yes', 'yeah', 'yep', 'sure', 'definitely', 'absolutely', 'certainly'].includes(w));
  const no = words.some((w) => ['no', 'nope', 'nah', 'never', 'not'].includes(w));
  if (yes !== no) return { kind: 'value', value: yes, confident: false };
  return { kind: 'unclear' };
}

/** a clicked quick reply: exact values, no guessing */
function readClicked(q: Question, value: string | string[]): Reading {
  const values = Array.isArray(value) ? value : [value];
  if (values.includes(REPLY_VALUES.skip)) return { kind: 'skip' };
  const scale = scaleOf(q);
  if (scale) {
    const n = Number(values[0]);
    return Number.isInteger(n) && n >= scale[0] && n <= scale[1] ? { kind: 'value', value: n, confident: true } : { kind: 'unclear' };
  }
  if (q.type === 'yes_no') {
    if (values[0] === REPLY_VALUES.yes) return { kind: 'value', value: true, confident: true };
    if (values[0] === REPLY_VALUES.no) return { kind: 'value', value: false, confident: true };
    return { kind: 'unclear' };
  }
  if (q.type === 'single' || q.type === 'multiple') {
    const known = values.filter((v) => q.choices.some((c) => c.value === v));
    if (known.length === 0 || known.length !== values.length) return { kind: 'unclear' };
    return { kind: 'value', value: q.type === 'single' ? (known[0] ?? '') : [...new Set(known)], confident: true };
  }
  return { kind: 'value', value: values.join(', '), confident: true };
}

/** a multiple-choice answer must respect the question's min and max picks */
function withinLimits(q: Question, r: Reading): Reading {
  if (q.type !== 'multiple' || r.kind !== 'value' || !Array.isArray(r.value)) return r;
  const n = r.value.length;
  return n < q.min || (q.max !== undefined && n > q.max) ? { kind: 'unclear' } : r;
}

/** Reads a visitor reply onto a question. Clicked values win over typed text. */
export function readAnswer(q: Question, text: string, value?: string | string[], opts: ReadOptions = {}): Reading {
  return withinLimits(q, readAny(q, text, value, opts.lang ?? 'en'));
}

function readAny(q: Question, text: string, value: string | string[] | undefined, lang: WidgetLang): Reading {
  if (value !== undefined && (Array.isArray(value) ? value.length > 0 : value !== '')) {
    const clicked = readClicked(q, value);
    if (clicked.kind !== 'unclear') return clicked;
  }
  if (isStop(text)) return { kind: 'stop' };
  if (isSkip(text)) return { kind: 'skip' };
  const spec = scaleSpec(q, lang);
  if (spec) return readScaleText(text, spec);
  switch (q.type) {
    case 'yes_no':
      return readYesNo(text);
    case 'single': {
      const found = readChoices(text, q.choices);
      if (found.length === 0) return { kind: 'unclear' };
      return { kind: 'value', value: found[0]?.value ?? '', confident: found.length === 1 };
    }
    case 'multiple': {
      const t = text.toLowerCase().trim().replace(/[.!]+$/, '');
      if (ALL.test(t)) return { kind: 'value', value: q.choices.map((c) => c.value), confident: true };
      if (NONE.test(t) && q.min === 0) return { kind: 'value', value: [], confident: true };
      const found = readChoices(text, q.choices);
      return found.length === 0 ? { kind: 'unclear' } : { kind: 'value', value: found.map((c) => c.value), confident: true };
    }
    default:
      return text.trim() ? { kind: 'value', value: text.trim(), confident: true } : { kind: 'unclear' };
  }
}

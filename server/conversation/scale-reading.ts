/**
 * Reading a typed answer onto a rating scale (NPS 0-10, CSAT 1-5, CES 1-7, stars), in English,
 * German, French and Spanish. A number counts only when it is the rating: bound to a cue ("a 9",
 * "9/10", "give it 8", "je donne 7") or standing alone. Numbers that count or measure something
 * (days, times, friends, €, %, order ids, dates, times of day) never do. Ranges, hedges, numbers
 * outside the scale, several different ratings and negated ones ask back. When unsure, ask back:
 * an answer stored wrong is worse than one more question.
 */
import type { WidgetLang } from '../../shared/widget-i18n/langs.ts';
import { OPINION_WORDS, readOpinion } from './lexicon.ts';
import {
  AFTER_OK,
  FILLER_BEFORE,
  COUNT_BEFORE,
  CUE_BEFORE,
  fold,
  FRACTION_WORDS,
  HEDGE_ANYWHERE,
  HEDGE_BEFORE,
  isNumberJoiner,
  MONTH_WORDS,
  NEGATION_BEFORE,
  numberWordKind,
  numberWordValue,
  RANGE_BETWEEN,
  RANGE_JOIN,
  SCALE_END_LABELS,
  SCALE_PHRASE,
  STAR_WORDS,
  UNIT_WORDS,
} from './scale-words.ts';

/** why a reading asks back instead of storing (drives the wording of the question back) */
export type AskWhy = 'none' | 'range' | 'hedge' | 'out_of_range' | 'conflict' | 'other_scale' | 'negated' | 'decimal' | 'disagree';

export type ScaleReading =
  | { kind: 'value'; value: number; confident: boolean; why?: AskWhy }
  | { kind: 'unclear'; why: AskWhy; options?: number[] };

export interface ScaleSpec {
  min: number;
  max: number;
  type: 'nps' | 'csat' | 'ces' | 'stars';
  /** the flow's own end labels (NPS lets the owner name them) */
  lowLabel?: string | undefined;
  highLabel?: string | undefined;
  /** the visitor's language (widget locale or detected); number words that clash across languages need it */
  lang: WidgetLang;
}

type Token =
  | { k: 'n'; v: number; digits: number; suffix: string; decimal: boolean; words: boolean }
  | { k: 'w'; w: string }
  | { k: 's'; s: string };

const TOKEN = /(\d+(?:[.,]\d+)?)([a-z]*)|([a-z]+[a-z\d]*(?:['-][a-z\d]+)*)|([/%€$£#°:\-–—?!.,;()+&*])/g;
const MONEY = new Set(['€', '$', '£', '%']);
const ARTICLES = new Set(['a', 'an', 'un', 'une', 'una', 'eine', 'ne']);
/** after "N of": the group being counted */
const OF_GROUP = new Set(
  'the them us my our these those his her their your all den der die dem uns meinen unseren euch les des mes nos ces vos los las mis nuestros nuestras ellos ellas sus'.split(' '),
);

function tokenize(folded: string, lang: WidgetLang): Token[] {
  const raw: Token[] = [];
  for (const m of folded.matchAll(TOKEN)) {
    if (m[1] !== undefined) {
      const digits = m[1].replace(/[.,]\d+$/, '').length;
      raw.push({ k: 'n', v: Number(m[1].replace(',', '.')), digits, suffix: m[2] ?? '', decimal: /[.,]/.test(m[1]), words: false });
    } else if (m[3] !== undefined) raw.push({ k: 'w', w: m[3].replace(/'/g, '') });
    else if (m[4] !== undefined) raw.push({ k: 's', s: m[4] });
  }
  // number words -> numbers, joining compounds: "sixty five", "cuarenta y dos", "vingt et un"
  const out: Token[] = [];
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i];
    if (t?.k !== 'w') {
      if (t) out.push(t);
      continue;
    }
    const v = numberWordValue(t.w, lang);
    if (v === null) {
      out.push(t);
      continue;
    }
    let value = v;
    let kind: string | null = numberWordKind(t.w, lang);
    for (;;) {
      const next = raw[i + 1];
      const after = raw[i + 2];
      const joined = next?.k === 'w' && isNumberJoiner(next.w) && after?.k === 'w' ? after : null;
      const cand = joined ?? (next?.k === 'w' ? next : null);
      if (!cand || cand.k !== 'w') break;
      const cv = numberWordValue(cand.w, lang);
      const ck = numberWordKind(cand.w, lang);
      if (cv === null) break;
      if (ck === 'hundred') value = (value || 1) * 100;
      else if (kind === 'ten' && ck === 'unit') value += cv;
      else if (kind === 'hundred') value += cv;
      else break;
      kind = ck;
      i += joined ? 2 : 1;
    }
    out.push({ k: 'n', v: value, digits: String(value).length, suffix: '', decimal: false, words: true });
  }
  return collapseRepeats(joinDecimals(out));
}

/** "ten ten ten", "10 10 10": one number said several times */
function collapseRepeats(tokens: Token[]): Token[] {
  return tokens.filter((t, i) => {
    const next = tokens[i + 1];
    return !(t.k === 'n' && next?.k === 'n' && !t.decimal && !next.decimal && next.v === t.v && !t.suffix);
  });
}

const DECIMAL_POINT = new Set(['point', 'komma', 'virgule', 'coma', 'punto']);
const HALF = [
  ['and', 'a', 'half'],
  ['et', 'demi'],
  ['et', 'demie'],
  ['y', 'medio'],
  ['und', 'halb'],
  ['und', 'einhalb'],
];

/** "eight point five", "acht komma fünf", "9 and a half", "neuf et demi": one decimal number */
function joinDecimals(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) continue;
    if (t.k === 'n' && !t.decimal) {
      const point = tokens[i + 1];
      const frac = tokens[i + 2];
      if (point?.k === 'w' && DECIMAL_POINT.has(point.w) && frac?.k === 'n' && !frac.decimal) {
        out.push({ ...t, v: Number(`${t.v}.${frac.v}`), decimal: true });
        i += 2;
        continue;
      }
      const half = HALF.find((words) => words.every((w, k) => word(tokens[i + 1 + k]) === w));
      if (half) {
        out.push({ ...t, v: t.v + 0.5, decimal: true });
        i += half.length;
        continue;
      }
    }
    out.push(t);
  }
  return out;
}

const word = (t: Token | undefined): string | null => (t?.k === 'w' ? t.w : null);
const sym = (t: Token | undefined): string | null => (t?.k === 's' ? t.s : null);
const isNum = (t: Token | undefined): t is Extract<Token, { k: 'n' }> => t?.k === 'n';

interface Candidate {
  value: number;
  hedged: boolean;
  negated: boolean;
}

interface Found {
  ratings: Candidate[];
  /** a rating-shaped number outside the scale ("eleven", "12/10") */
  outOfRange: number[];
  ranges: [number, number][];
  decimals: number[];
  /** a rating on another scale ("4/5" asked on 0-10): its proportional value, to confirm */
  otherScale: number[];
  /** those of them given as a rating (not "lost one star for packaging") */
  otherScaleRatings: number[];
}

/** the word tokens just before index i, skipping punctuation other than sentence ends */
function wordsBefore(tokens: Token[], i: number, n: number): string[] {
  const found: string[] = [];
  for (let j = i - 1; j >= 0 && found.length < n; j--) {
    const t = tokens[j];
    if (t?.k === 'w') found.push(t.w);
    else if (t?.k === 's' && /[.!?;,]/.test(t.s)) break;
    else if (t?.k === 'n') break;
  }
  return found;
}

function isDateNear(tokens: Token[], i: number): boolean {
  if (MONTH_WORDS.has(word(tokens[i - 1]) ?? '')) return true;
  let j = i + 1;
  while (sym(tokens[j]) === '.' || word(tokens[j]) === 'de' || word(tokens[j]) === 'of') j++;
  return MONTH_WORDS.has(word(tokens[j]) ?? '');
}

function scan(tokens: Token[], spec: ScaleSpec): Found {
  const found: Found = { ratings: [], outOfRange: [], ranges: [], decimals: [], otherScale: [], otherScaleRatings: [] };
  const otherScale = (value: number, i: number) => {
    found.otherScale.push(value);
    const prev = tokens[i - 1];
    if (prev === undefined || prev.k === 's' || (prev.k === 'w' && (FILLER_BEFORE.has(prev.w) || CUE_BEFORE.has(prev.w) || AFTER_OK.has(prev.w)))) found.otherScaleRatings.push(value);
  };
  const { min, max } = spec;
  const used = new Set<number>();
  const proportional = (n: number, d: number) => Math.round(min + Math.min(1, Math.max(0, n / d)) * (max - min));

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!isNum(t) || used.has(i)) continue;
    const next = tokens[i + 1];
    const before = wordsBefore(tokens, i, 2);
    // "more like a 6" corrects rather than hedges
    const correcting = wordsBefore(tokens, i, 3).includes('more');
    const hedgedBefore = before.some((w) => HEDGE_BEFORE.has(w) && !(w === 'like' && correcting));
    const negated = before.some((w) => NEGATION_BEFORE.has(w));

    // N/M, N out of M, N von M, N sur M, N de M
    let j = -1;
    if (sym(next) === '/' || FRACTION_WORDS.has(word(next) ?? '')) j = i + 2;
    else if (word(next) === 'out' && word(tokens[i + 2]) === 'of') j = i + 3;
    const den = j > 0 ? tokens[j] : undefined;
    if (isNum(den) && !den.decimal && den.v > 0) {
      used.add(j);
      if (den.v === max) {
        if (t.decimal) found.decimals.push(t.v);
        else if (t.v >= min && t.v <= max) found.ratings.push({ value: t.v, hedged: hedgedBefore || sym(tokens[j + 1]) === '?', negated });
        else found.outOfRange.push(t.v);
      } else if ([5, 7, 10, 100].includes(den.v) && t.v <= den.v) otherScale(proportional(t.v, den.v), i);
      continue;
    }
    // "4 stars", "fünf Sterne"
    if (STAR_WORDS.has(word(next) ?? '')) {
      if (max === 5 && t.v >= min && t.v <= 5 && !t.decimal) found.ratings.push({ value: t.v, hedged: hedgedBefore, negated });
      else if (t.v <= 5) otherScale(proportional(t.v, 5), i);
      continue;
    }
    // "7-8", "7 or 8", "between 6 and 7", "sieben oder acht", "7 u 8"
    const joinWord = word(next) ?? sym(next) ?? '';
    // "un 6 o un 7", "a 6 or a 7": an article may stand before the second number
    const at = ARTICLES.has(word(tokens[i + 2]) ?? '') ? i + 3 : i + 2;
    const second = tokens[at];
    if (RANGE_JOIN.has(joinWord) && isNum(second) && !second.suffix && !UNIT_WORDS.has(word(tokens[at + 1]) ?? '')) {
      const between = before.some((w) => RANGE_BETWEEN.has(w));
      const isRangeJoin = between || !['and', 'und', 'et', 'y'].includes(joinWord);
      if (isRangeJoin && second.v > t.v && second.v - t.v <= 3 && t.v >= min - 1 && second.v <= max + 1) {
        used.add(at);
        found.ranges.push([t.v, second.v]);
        continue;
      }
    }
    // a number that counts, measures, dates or names something is never the rating
    if (t.suffix && t.suffix !== 'ish') continue; // 2nd, 5pm, 10x, 3h
    if (!t.words && t.digits >= 3) continue; // order ids, years, prices
    if (UNIT_WORDS.has(word(next) ?? '') || MONEY.has(sym(next) ?? '')) continue;
    if (MONEY.has(sym(tokens[i - 1]) ?? '') || sym(tokens[i - 1]) === '#' || sym(tokens[i - 1]) === '°') continue;
    if (isDateNear(tokens, i)) continue;
    const prev = tokens[i - 1];
    if (prev?.k === 'w' && COUNT_BEFORE.has(prev.w)) continue;
    // "one of the mugs", "2 of them", "3 von den Tassen", "2 de mes amis" (but "eine 8 von mir" is a rating)
    if (FRACTION_WORDS.has(word(next) ?? '') && OF_GROUP.has(word(tokens[i + 2]) ?? '')) continue;

    const cued = before.some((w) => CUE_BEFORE.has(w)) || (before[0] === 'with' && before[1] === 'go');
    const clauseEnds = next === undefined || (next.k === 's' && next.s !== '/');
    const nextOk = clauseEnds || AFTER_OK.has(word(next) ?? '') || HEDGE_BEFORE.has(word(next) ?? '') || t.suffix === 'ish';
    // after a content word ("returned 1", "kept 2") a number is a count even at the end of a clause
    const prevWord = prev?.k === 'w' ? prev.w : '';
    // "great 9", "meh 5": an opinion right before the rating is part of it
    const prevOk = prev === undefined || prev.k === 's' || hedgedBefore || FILLER_BEFORE.has(prevWord) || AFTER_OK.has(prevWord) || OPINION_WORDS.has(prevWord);
    if (!cued && !(nextOk && prevOk)) continue;
    // "a 3 course meal", "a 4 person tent": even after a cue, a number that qualifies a noun counts it
    const nextWord = word(next) ?? '';
    if (cued && nextWord && !nextOk && !FILLER_BEFORE.has(nextWord) && !OPINION_WORDS.has(nextWord)) continue;
    if (t.decimal) {
      if (t.v >= min - 1 && t.v <= max + 1) found.decimals.push(t.v);
      continue;
    }
    // German "so 7" is "about 7"
    const about = spec.lang === 'de' && prevWord === 'so';
    // German "eine glatte Eins", "Note 1": a school grade (1 is the best), not 1 on this scale
    const schoolGrade = spec.lang === 'de' && t.v === 1 && before.some((w) => w === 'glatte' || w === 'note' || w === 'schulnote');
    const hedged = hedgedBefore || about || schoolGrade || t.suffix === 'ish' || sym(next) === '?' || HEDGE_BEFORE.has(word(next) ?? '');
    if (t.v >= min && t.v <= max) found.ratings.push({ value: t.v, hedged, negated });
    else found.outOfRange.push(t.v);
  }
  return found;
}

const plain = (folded: string) => folded.replace(/[^a-z\d]+/g, ' ').trim();

interface EndLabel {
  label: string;
  high: boolean;
}
/** each scale's built-in end labels, longest first, built once */
const BUILT_IN_LABELS = new Map(
  [...SCALE_END_LABELS].map(([type, t]): [string, EndLabel[]] => [
    type,
    [...t.low.map((label) => ({ label, high: false })), ...t.high.map((label) => ({ label, high: true }))].sort((a, b) => b.label.length - a.label.length),
  ]),
);

/** the scale's own end labels, typed as the whole answer (confident) or inside it (to confirm) */
function readLabels(folded: string, spec: ScaleSpec): ScaleReading | null {
  if (spec.type === 'stars') return null;
  const answer = plain(folded);
  if (!answer) return null;
  const own: EndLabel[] = [
    ...(spec.lowLabel ? [{ label: plain(fold(spec.lowLabel)), high: false }] : []),
    ...(spec.highLabel ? [{ label: plain(fold(spec.highLabel)), high: true }] : []),
  ].filter((l) => l.label !== '');
  const labels = [...own, ...(BUILT_IN_LABELS.get(spec.type) ?? [])];
  const valueOf = (l: EndLabel) => (l.high ? spec.max : spec.min);
  for (const l of labels) if (answer === l.label) return { kind: 'value', value: valueOf(l), confident: true };
  for (const l of labels) {
    const at = ` ${answer} `.indexOf(` ${l.label} `);
    if (at < 0) continue;
    const before = answer.slice(0, at).trim().split(' ').slice(-2);
    if (before.some((w) => NEGATION_BEFORE.has(w) || w === 'no')) continue;
    return { kind: 'value', value: valueOf(l), confident: false, why: 'hedge' };
  }
  return null;
}

export function readScaleText(text: string, spec: ScaleSpec): ScaleReading {
  const { min, max } = spec;
  const starCount = (text.match(/[★⭐]/gu) ?? []).length;
  if (starCount >= Math.max(1, min) && starCount <= max && !/\d/.test(text)) return { kind: 'value', value: starCount, confident: true };

  const lowered = fold(text);
  const folded = lowered
    .replace(SCALE_PHRASE, ' ')
    .replace(/\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b/g, ' ') // dates
    .replace(/\b\d{1,2}[:h]\d{2}\b/g, ' '); // times of day
  const found = scan(tokenize(folded, spec.lang), spec);
  const hedgedAnywhere = HEDGE_ANYWHERE.some((re) => re.test(folded));

  if (found.ranges.length > 0) {
    const options = [...new Set(found.ranges.flat().filter((n) => n >= min && n <= max))];
    return { kind: 'unclear', why: 'range', options };
  }
  const values = [...new Set(found.ratings.map((c) => c.value))];
  if (values.length > 1) return { kind: 'unclear', why: 'conflict', options: values.slice(0, 3) };
  if (values.length === 1) {
    const value = values[0] ?? min;
    // "2 stars for service, 5 for the product": a rating on another scale that says otherwise
    if (found.otherScaleRatings.some((v) => v !== value)) return { kind: 'unclear', why: 'conflict', options: [value] };
    if (found.ratings.some((c) => c.negated)) return { kind: 'unclear', why: 'negated' };
    if (found.decimals.length > 0) return { kind: 'unclear', why: 'conflict' };
    const hedged = hedgedAnywhere || found.ratings.some((c) => c.hedged);
    return hedged ? { kind: 'value', value, confident: false, why: 'hedge' } : { kind: 'value', value, confident: true };
  }
  if (found.decimals.length > 0) {
    const d = found.decimals[0] ?? min;
    return { kind: 'unclear', why: 'decimal', options: [Math.floor(d), Math.ceil(d)].filter((n) => n >= min && n <= max) };
  }
  if (found.otherScale.length > 0) return { kind: 'value', value: found.otherScale[0] ?? min, confident: false, why: 'other_scale' };
  if (found.outOfRange.length > 0) return { kind: 'unclear', why: 'out_of_range' };

  const labelled = readLabels(lowered, spec);
  if (labelled) return labelled;
  const opinion = readOpinion(text);
  if (opinion !== null) return { kind: 'value', value: Math.round(min + opinion.value * (max - min)), confident: false, why: 'hedge' };
  return { kind: 'unclear', why: 'none' };
}

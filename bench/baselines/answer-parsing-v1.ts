/**
 * Baseline for bench/typed-answers.ts: the scale reader as it was at deed4ef (server/conversation/
 * answer-parsing.ts readScale plus the lexicon and skip/stop intents it used), trimmed to typed
 * scale answers. Kept verbatim in behaviour, including its plain-object word lookups, so the
 * benchmark compares against what shipped. Not used by the server.
 */

export type BaselineReading =
  | { kind: 'value'; value: number; confident: boolean }
  | { kind: 'skip' }
  | { kind: 'stop' }
  | { kind: 'unclear' };

const OPINION_WORDS: Record<string, number> = {
  terrible: 0, awful: 0, horrible: 0, horrendous: 0, worst: 0, abysmal: 0, dreadful: 0, atrocious: 0, useless: 0,
  hate: 0, hated: 0, disaster: 0, disastrous: 0, appalling: 0, pathetic: 0, rubbish: 0, garbage: 0, trash: 0,
  bad: 0.25, poor: 0.25, disappointing: 0.25, disappointed: 0.25, unhappy: 0.25, frustrating: 0.25, frustrated: 0.25,
  annoying: 0.25, annoyed: 0.25, slow: 0.25, broken: 0.25, dissatisfied: 0.25, unsatisfied: 0.25, mediocre: 0.35,
  difficult: 0.25, hard: 0.25, confusing: 0.25, painful: 0.15, lousy: 0.15, sucks: 0.1, sucked: 0.1, crap: 0.1,
  meh: 0.5, ok: 0.5, okay: 0.5, fine: 0.5, average: 0.5, 'so-so': 0.5, alright: 0.5, decent: 0.6, mixed: 0.5, neutral: 0.5,
  acceptable: 0.5, adequate: 0.5, whatever: 0.5, moderate: 0.5,
  good: 0.75, nice: 0.75, happy: 0.75, satisfied: 0.75, pleased: 0.75, easy: 0.8, solid: 0.75, helpful: 0.75, like: 0.7,
  liked: 0.7, smooth: 0.8, quick: 0.75, fast: 0.75, great: 0.85, recommend: 0.8,
  excellent: 1, amazing: 1, fantastic: 1, perfect: 1, love: 1, loved: 1, awesome: 1, outstanding: 1, best: 1,
  superb: 1, brilliant: 1, wonderful: 1, incredible: 1, flawless: 1, effortless: 1, phenomenal: 1, exceptional: 1,
};
const NEGATORS = new Set(['not', "n't", 'never', 'no', 'hardly', 'barely', 'isnt', 'wasnt', 'dont', 'didnt', 'aint']);
const INTENSIFIERS = new Set(['very', 'really', 'super', 'extremely', 'so', 'incredibly', 'totally', 'absolutely', 'truly', 'most', 'completely']);
const HEDGES = /\b(pretty|quite|fairly|rather|somewhat|kind of|kinda|sort of|sorta|a bit|a little|slightly|mostly|i guess|i suppose|maybe|probably|perhaps|i think|not sure|mixed)\b/;

function tokenize(text: string): string[] {
  return text.toLowerCase().replace(/[’']/g, "'").replace(/(\w)n't\b/g, '$1 not').match(/[a-z]+(?:-[a-z]+)*|\d+(?:[.,]\d+)?/g) ?? [];
}

function readOpinion(text: string): { value: number; strong: boolean } | null {
  const words = tokenize(text);
  const found: { v: number; strong: boolean }[] = [];
  words.forEach((w, i) => {
    const base = OPINION_WORDS[w];
    if (base === undefined) return;
    if (w === 'like' && words[i - 1] !== 'i' && words[i - 1] !== 'really' && words[i - 1] !== 'would') return;
    const before = words.slice(Math.max(0, i - 2), i);
    const intensified = before.some((b) => INTENSIFIERS.has(b));
    const negated = before.some((b) => NEGATORS.has(b));
    let v = base;
    if (intensified) v = v >= 0.5 ? Math.min(1, v + 0.25) : Math.max(0, v - 0.25);
    if (negated) v = v >= 0.5 ? Math.max(0.2, 1 - v - 0.1) : Math.min(0.6, 1 - v - 0.25);
    found.push({ v, strong: !negated && (intensified || base === 0 || base === 1) });
  });
  if (found.length === 0) return null;
  const values = found.map((f) => f.v);
  const value = values.reduce((a, b) => a + b, 0) / values.length;
  const agree = Math.max(...values) - Math.min(...values) <= 0.2;
  return { value, strong: agree && found.some((f) => f.strong) && !HEDGES.test(text.toLowerCase()) };
}

function clean(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’']/g, "'")
    .replace(/[^a-z0-9' /-]+/g, ' ')
    .replace(/\b(please|pls|plz|ok|okay|um+|uh+|well|just|thanks|thank you|thx|cheers)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
const SKIP = /^(skip( (this|it|that|this one|this question|the question))?|pass|next( question| one)?|i'?d rather not( say| answer)?|rather not( say)?|prefer not to (say|answer)|no comment|n ?\/? ?a|not applicable|move on|i'?ll pass|no answer)$/;
const STOP = /^((i want to |can we |let's |lets )?(stop|quit|exit|cancel|end)( (this|it|the survey|the chat|now|here|asking|the questions|survey|chat))*|enough|that'?s enough|i'?m done|i am done|no more( questions)?|leave me alone|go away|unsubscribe)$/;

const NUMBER_WORDS: Record<string, number> = {
  zero: 0, nil: 0, nought: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
  ten: 10, eleven: 11, twelve: 12, twenty: 20, fifty: 50, hundred: 100,
};

function wordsToDigits(text: string): string {
  return text
    .toLowerCase()
    .replace(/\b(no|the|this|that|which|any|every|some) one\b/g, '$1 _')
    .replace(/\b(a|one) hundred\b/g, '100')
    .replace(/\b[a-z]+\b/g, (w) => (NUMBER_WORDS[w] !== undefined ? String(NUMBER_WORDS[w]) : w));
}

const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));

function readScale(text: string, min: number, max: number, opinionsAreRatings: boolean): BaselineReading {
  const stars = text.match(/[★⭐]/gu);
  if (stars && stars.length >= min && stars.length <= max) return { kind: 'value', value: stars.length, confident: true };
  const t = wordsToDigits(text);
  const fromFraction = (x: number, y: number): BaselineReading => {
    if (y === max) return { kind: 'value', value: clamp(Math.round(x), min, max), confident: x >= min && x <= max };
    const f = clamp(x / y, 0, 1);
    return { kind: 'value', value: Math.round(min + f * (max - min)), confident: false };
  };
  const frac = t.match(/(-?\d+(?:[.,]\d+)?)\s*(?:\/|out of|outta|of|on a scale of|from)\s*(\d+)/);
  if (frac?.[1] && frac[2] && Number(frac[2]) > 0) return fromFraction(Number(frac[1].replace(',', '.')), Number(frac[2]));
  const pct = t.match(/(\d+(?:[.,]\d+)?)\s*(?:%|percent|per cent)/);
  if (pct?.[1]) return fromFraction(Number(pct[1].replace(',', '.')), 100);
  const range = t.match(/(?:between\s+)?(\d+)\s*(?:-|to|or|and)\s*(\d+)/);
  if (range?.[1] && range[2]) {
    const a = Number(range[1]);
    const b = Number(range[2]);
    if (a >= min && b <= max && a < b && b - a <= 2) return { kind: 'value', value: Math.round((a + b) / 2), confident: false };
  }
  const numbers = [...t.matchAll(/(?<![\d.])(-?\d+(?:[.,]\d+)?)(?![\d])/g)].map((m) => Number((m[1] ?? '').replace(',', '.')));
  const inRange = numbers.filter((n) => n >= min && n <= max);
  if (inRange.length > 0) {
    const last = inRange[inRange.length - 1] ?? min;
    const distinct = new Set(inRange).size;
    return { kind: 'value', value: Math.round(last), confident: distinct === 1 && Number.isInteger(last) };
  }
  if (numbers.some((n) => n > max && n <= max + 2) && /!|\b(so|very|super|totally)\b/.test(t)) return { kind: 'value', value: max, confident: false };
  const opinion = readOpinion(text);
  if (opinion !== null) return { kind: 'value', value: Math.round(min + opinion.value * (max - min)), confident: opinionsAreRatings && opinion.strong };
  return { kind: 'unclear' };
}

const SCALES = { nps: [0, 10], csat: [1, 5], ces: [1, 7] } as const;

/** today's reading of a typed (not clicked) answer to an NPS, CSAT or CES question */
export function readTypedScaleV1(type: keyof typeof SCALES, text: string): BaselineReading {
  if (STOP.test(clean(text))) return { kind: 'stop' };
  if (SKIP.test(clean(text))) return { kind: 'skip' };
  const [min, max] = SCALES[type];
  return readScale(text, min, max, type !== 'nps');
}

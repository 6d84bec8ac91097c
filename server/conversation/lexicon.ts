/**
 * Small English opinion lexicon for reading free text onto a scale and spotting negative answers.
 * Values are positions on a 0..1 scale (0 = worst); the offline path has no model to ask. A Map, not
 * a plain object: "constructor" is a word visitors type, and must not find Object.prototype's.
 */
export const OPINION_WORDS: ReadonlyMap<string, number> = new Map(
  Object.entries({
  // worst
  terrible: 0, awful: 0, horrible: 0, horrendous: 0, worst: 0, abysmal: 0, dreadful: 0, atrocious: 0, useless: 0,
  hate: 0, hated: 0, disaster: 0, disastrous: 0, appalling: 0, pathetic: 0, rubbish: 0, garbage: 0, trash: 0,
  // bad
  bad: 0.25, poor: 0.25, disappointing: 0.25, disappointed: 0.25, unhappy: 0.25, frustrating: 0.25, frustrated: 0.25,
  annoying: 0.25, annoyed: 0.25, slow: 0.25, broken: 0.25, dissatisfied: 0.25, unsatisfied: 0.25, mediocre: 0.35,
  difficult: 0.25, hard: 0.25, confusing: 0.25, painful: 0.15, lousy: 0.15, sucks: 0.1, sucked: 0.1, crap: 0.1,
  // middle
  meh: 0.5, ok: 0.5, okay: 0.5, fine: 0.5, average: 0.5, 'so-so': 0.5, alright: 0.5, decent: 0.6, mixed: 0.5, neutral: 0.5,
  acceptable: 0.5, adequate: 0.5, whatever: 0.5, moderate: 0.5,
  // good
  good: 0.75, nice: 0.75, happy: 0.75, satisfied: 0.75, pleased: 0.75, easy: 0.8, solid: 0.75, helpful: 0.75, like: 0.7,
  liked: 0.7, smooth: 0.8, quick: 0.75, fast: 0.75, great: 0.85, recommend: 0.8,
  // best
  excellent: 1, amazing: 1, fantastic: 1, perfect: 1, love: 1, loved: 1, awesome: 1, outstanding: 1, best: 1,
  superb: 1, brilliant: 1, wonderful: 1, incredible: 1, flawless: 1, effortless: 1, phenomenal: 1, exceptional: 1,
  }),
);

/** words that turn the next opinion word around ("not good", "never easy") */
export const NEGATORS = new Set(['not', "n't", 'never', 'no', 'hardly', 'barely', 'isnt', 'wasnt', 'dont', 'didnt', 'aint']);

/** "very good" sits higher than "good", "very bad" lower than "bad" */
export const INTENSIFIERS = new Set(['very', 'really', 'super', 'extremely', 'so', 'incredibly', 'totally', 'absolutely', 'truly', 'most', 'completely']);

/** words that soften an opinion, so its reading needs confirming ("pretty terrible", "kind of ok") */
const HEDGES = /\b(pretty|quite|fairly|rather|somewhat|kind of|kinda|sort of|sorta|a bit|a little|slightly|mostly|i guess|i suppose|maybe|probably|perhaps|i think|not sure|mixed)\b/;

export function tokenize(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/[’']/g, "'")
      .replace(/(\w)n't\b/g, '$1 not')
      .match(/[a-z]+(?:-[a-z]+)*|\d+(?:[.,]\d+)?/g) ?? []
  );
}

export interface Opinion {
  /** 0 = worst, 1 = best */
  value: number;
  /** one clear, unhedged, un-negated opinion that is extreme or intensified ("very satisfied", "awful") */
  strong: boolean;
}

/**
 * Reads the opinion in a text, or null when it holds no opinion words. Several opinion words are
 * averaged; a negator within two words flips one around the middle.
 */
export function readOpinion(text: string): Opinion | null {
  const words = tokenize(text);
  const found: { v: number; strong: boolean }[] = [];
  words.forEach((w, i) => {
    const base = OPINION_WORDS.get(w);
    if (base === undefined) return;
    // "like" as a filler ("like, fine") carries no opinion
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

/**
 * Language-aware tokens for the rule-based readers (sentiment rules, intents, expectations,
 * glossing): words, numbers and punctuation with a Snowball stem in the text's language.
 * French and Spanish elisions ("n'est", "l'ensemble") are split so "n" reads as a negator.
 */
import snowball from 'snowball-stemmers';
import type { ConversationLanguage } from '../../../shared/extraction.ts';

export type Lang = ConversationLanguage;

export interface Token {
  /** as written */
  text: string;
  /** lower case, accents kept */
  lower: string;
  /** Snowball stem of `lower` in the token's language (numbers and punctuation: `lower`) */
  stem: string;
  kind: 'word' | 'num' | 'punct';
  /** written in capitals and longer than one letter ("NOW") */
  caps: boolean;
}

const ALGORITHM: Record<Lang, string> = { en: 'english', de: 'german', fr: 'french', es: 'spanish' };
const stemmers = new Map<Lang, { stem(word: string): string }>();
const stemCache = new Map<string, string>();

/** past this no word is a word (a pasted hash, a key held down): the stemmer's regexes go quadratic */
export const MAX_STEMMED_LENGTH = 64;

export function stem(word: string, lang: Lang): string {
  if (word.length > MAX_STEMMED_LENGTH) return word;
  const key = `${lang}:${word}`;
  const hit = stemCache.get(key);
  if (hit !== undefined) return hit;
  let s = stemmers.get(lang);
  if (!s) stemmers.set(lang, (s = snowball.newStemmer(ALGORITHM[lang])));
  const out = s.stem(word);
  if (stemCache.size > 50_000) stemCache.clear();
  stemCache.set(key, out);
  return out;
}

// English keeps its apostrophes inside words (don't, haven't); the others split at them (n'est -> n est).
const WORD_EN = /[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*|\d+(?:[.,:/-]\d+)*|[^\s\p{L}\p{M}\p{N}]/gu;
const WORD = /[\p{L}\p{M}]+|\d+(?:[.,:/-]\d+)*|[^\s\p{L}\p{M}\p{N}]/gu;

export function tokenize(text: string, lang: Lang): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(lang === 'en' ? WORD_EN : WORD)) {
    const raw = m[0];
    const lower = raw.toLowerCase().replace(/’/g, "'");
    const kind: Token['kind'] = /^\d/.test(raw) ? 'num' : /^[\p{L}\p{M}]/u.test(raw) ? 'word' : 'punct';
    out.push({
      text: raw,
      lower,
      stem: kind === 'word' ? stem(lower, lang) : lower,
      kind,
      caps: kind === 'word' && raw.length > 1 && raw === raw.toUpperCase() && raw !== lower,
    });
  }
  return out;
}

/**
 * A case-insensitive pattern for whole words or phrases: alternatives are regex sources; the
 * match may not start or end inside a word ("sue" does not fire on "pursue", "fire" not on
 * "surefire"). Unicode-aware, so "Rückruf" and "llámenme" have real boundaries.
 */
export function words(...alternatives: string[]): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{M}\\p{N}])`, 'iu');
}

/**
 * Sentences of `text`, as written: split after ! ? … and after a full stop that does not end a
 * number or an abbreviation (so "vom 12.03. ist" and "Nr. 5" stay whole), and at line breaks.
 */
export function splitSentences(text: string): string[] {
  return text
    .split(/\n+|(?<=[!?…])\s+|(?<=(?<![\d]|\b(?:[Nn]r|[Nn]o|vs|ca|bzw|usw|etc|[Mm]rs?|[Mm]s|[Dd]r|[Ss]t|z\.[Bb]|d\.h|inkl|zzgl|approx|env|p\.ej|aprox))\.)\s+|(?<=\d\.)\s+(?=[\p{Lu}¿¡])(?!(?:Jan|Feb|Mär|Apr|Mai|Jun|Jul|Aug|Sep|Okt|Nov|Dez)\p{L}*)/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Turning text into search terms: lowercase words without stop words, lightly stemmed. */

const STOP_WORDS = new Set(
  ('a an and are as at be been but by can could do does did for from have has had how i if in into is it its me my ' +
    'no not of on or our so than that the their them then there these they this to up us was we were what when where ' +
    'which who why will with would you your yours am im ive id get got want need please hi hello hey thanks thank ' +
    'there any some just about tell know much many long').split(' '),
);

export function stem(word: string): string {
  if (word.length <= 4) return word;
  return word
    .replace(/(ies)$/, 'y')
    .replace(/(ing|ed|es|s)$/, '')
    .replace(/(.)\1$/, '$1');
}

/** null drops the term (the shape minisearch's processTerm wants) */
export function processTerm(term: string): string | null {
  const w = term.toLowerCase().replace(/[’']/g, '').replace(/[^a-z0-9£$€]/g, '');
  if (!w || STOP_WORDS.has(w)) return null;
  return stem(w);
}

export function contentTerms(text: string): string[] {
  return (text.match(/[\p{L}\p{N}'’£$€]+/gu) ?? []).map(processTerm).filter((t): t is string => t !== null);
}

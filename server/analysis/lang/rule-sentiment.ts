/**
 * Rule-based sentiment over a language's lexicon (lang/sentiment-lexicon.ts), with the rules
 * the bag-of-words model cannot learn:
 * - negation scope: a negator flips (x -0.75) the sentiment words up to three words after it,
 *   stopped by punctuation and by a contrast word;
 * - contrast: before "but"/"aber"/"mais"/"pero"/"however" a clause weighs half, after it 1.5x;
 *   a concession ("although", "obwohl", "bien que", "aunque") weighs half;
 * - intensity: boosters and dampeners before a word, words in capitals, exclamation marks;
 * - sarcasm: praise words next to a bad event ("Oh great, lost again", "Na toll", "Génial,
 *   encore un colis perdu") count against, not for;
 * - politeness: "thanks"/"merci"/"gracias" closing a request weigh little.
 */
import { lexiconFor } from './sentiment-lexicon.ts';
import { tokenize, type Lang, type Token } from './tokens.ts';

export interface RuleSentiment {
  /** weighted valence sum (VADER-like units) */
  sum: number;
  /** sum squashed into [-1, 1] like VADER's compound */
  score: number;
  /** number of sentiment-bearing words and phrases found */
  evidence: number;
  sarcasm: boolean;
}

const NEGATION_WINDOW = 3;
const BREAK = /^[.,;:!?()\-–—"«»]$/;
const ALPHA = 15;

interface Hit {
  valence: number;
  weight: number;
  sarcasmProne: boolean;
  polite: boolean;
  /** praise word the language's lexicon does not score (English: the trained model does); counts only as sarcasm */
  onlyIfSarcasm?: boolean;
}

export function ruleSentiment(text: string, lang: Lang, opts: { request?: boolean } = {}): RuleSentiment {
  const lex = lexiconFor(lang);
  const tokens = tokenize(text, lang);
  const allCaps = tokens.filter((t) => t.kind === 'word').every((t) => t.caps);
  const hits: Hit[] = [];
  /** indexes into hits of the current sentence's clauses before a contrast word */
  let sentenceStart = 0;
  let clauseWeight = 1;
  let wordsInSentence = 0;
  let concessionOpen = false;
  let negatedFor = 0;
  let mult = 1;
  let multFor = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t: Token = tokens[i]!;
    if (t.kind === 'punct') {
      if (/^[.!?;]$/.test(t.lower)) {
        sentenceStart = hits.length;
        clauseWeight = 1;
        wordsInSentence = 0;
        concessionOpen = false;
      } else if (t.lower === ',' && concessionOpen) {
        clauseWeight = 1.5;
        concessionOpen = false;
      }
      if (BREAK.test(t.lower)) negatedFor = 0;
      continue;
    }
    const two = i + 1 < tokens.length ? `${t.lower} ${tokens[i + 1]!.lower}` : '';
    if (lex.contrastAfter.has(t.lower) || lex.contrastAfter.has(two)) {
      for (let h = sentenceStart; h < hits.length; h++) hits[h]!.weight *= 0.5;
      clauseWeight = 1.5;
      negatedFor = 0;
      continue;
    }
    if (lex.concession.has(t.lower) || lex.concession.has(two)) {
      // "Although X, Y": X weighs less; "X, though Y" / "X, aunque Y": like "but", Y weighs more.
      if (wordsInSentence === 0) concessionOpen = true;
      else for (let h = sentenceStart; h < hits.length; h++) hits[h]!.weight *= 0.5;
      clauseWeight = wordsInSentence === 0 ? 0.5 : 1.5;
      negatedFor = 0;
      continue;
    }
    wordsInSentence++;
    if (lex.negators.has(t.lower) || (lang === 'en' && t.lower.endsWith("n't"))) {
      negatedFor = NEGATION_WINDOW;
      continue;
    }
    const m = lex.intensifiers.get(t.lower);
    if (m !== undefined) {
      mult = m;
      multFor = 2;
      continue;
    }
    const known = lex.valence.get(t.lower) ?? lex.valence.get(t.stem);
    const onlyIfSarcasm = known === undefined && lex.sarcasmProne.has(t.lower);
    const v = onlyIfSarcasm ? 2 : known;
    if (v !== undefined && v !== 0) {
      let valence = v * (multFor > 0 ? mult : 1);
      if (t.caps && !allCaps) valence *= 1.25;
      if (negatedFor > 0) valence *= -0.75;
      hits.push({ valence, weight: clauseWeight, sarcasmProne: v > 0 && lex.sarcasmProne.has(t.lower), polite: lex.politeness.has(t.lower), onlyIfSarcasm });
    }
    if (negatedFor > 0) negatedFor--;
    if (multFor > 0) multFor--;
  }

  let phraseSum = 0;
  let sarcasmMarker = false;
  let phraseHits = 0;
  for (const p of lex.phrases) {
    if (!p.pattern.test(text)) continue;
    phraseHits++;
    phraseSum += p.valence;
    if (p.sarcasm) sarcasmMarker = true;
  }
  const badEvidence = hits.filter((h) => h.valence < 0).reduce((a, h) => a + h.valence, 0) + Math.min(0, phraseSum);
  const sincerePraise = hits.some((h) => h.valence > 0 && !h.sarcasmProne && !h.polite);
  const evidence = hits.filter((h) => !h.onlyIfSarcasm).length + phraseHits;
  const sarcasm = hits.some((h) => h.sarcasmProne) && (sarcasmMarker || (badEvidence <= -1.5 && !sincerePraise));

  let sum = phraseSum;
  for (const h of hits) {
    let v = h.valence * h.weight;
    if (sarcasm && h.sarcasmProne) v = -0.5 * Math.abs(v);
    else if (h.onlyIfSarcasm) continue;
    else if (h.polite && opts.request) v *= 0.3;
    sum += v;
  }
  const bangs = Math.min(3, (text.match(/!/g) ?? []).length);
  if (sum !== 0) sum += Math.sign(sum) * 0.3 * bangs;
  return { sum, score: sum / Math.sqrt(sum * sum + ALPHA), evidence, sarcasm };
}

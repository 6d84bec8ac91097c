/**
 * The three signals the sentiment stacker combines, computed the same way at training time
 * (train-sentiment.ts) and at run time (sentiment.ts), so the learned weights stay valid.
 */
import vader from 'vader-sentiment';
import { winkSentiment, wordTokens } from './nlp.ts';

const NEGATORS = new Set(['not', 'no', 'never', "n't", 'nothing', 'nobody', 'none', 'neither', 'nor', 'cannot', 'without', 'hardly']);
const SCOPE_BREAKERS = new Set(['.', ',', '!', '?', ';', ':', 'but', 'however', 'although', 'though']);

/**
 * Stems with negation scope marked ("not worth it" -> not, NOT_worth, NOT_it), so the bag-of-words
 * model can learn that a negated "good" is not the same evidence as "good". The scope runs to the
 * next punctuation mark or contrastive conjunction, as in Das & Chen (2001) / Pang et al. (2002).
 */
export function sentimentTokens(text: string): string[] {
  const out: string[] = [];
  let negated = false;
  for (const t of wordTokens(text)) {
    if (SCOPE_BREAKERS.has(t.normal)) {
      negated = false;
      if (t.pos === 'PUNCT') continue;
    }
    // Numbers (ratings clicked, order ids) carry no sentiment that transfers across domains.
    if (t.pos === 'PUNCT' || !/[a-z]/i.test(t.normal)) continue;
    out.push(negated ? `NOT_${t.stem}` : t.stem);
    if (NEGATORS.has(t.normal)) negated = true;
  }
  return out;
}

/** Lexicon scores: wink-nlp's (AFINN-style with negation handling) and VADER's compound. */
export function lexiconScores(text: string): { wink: number; vader: number } {
  return { wink: winkSentiment(text), vader: vader.SentimentIntensityAnalyzer.polarity_scores(text).compound };
}

/**
 * Offline sentiment of one text: a score in [-1, 1] and a label. Two lexicons (wink-nlp and VADER)
 * miss text with no opinion words ("we waited 40 minutes") and disagree on contrast and negation;
 * a naive-Bayes model over negation-scoped stems, trained on other review domains, covers those,
 * and a logistic stacker weighs the three (see sentiment-model.ts).
 */
import type { SentimentLabel } from '../../../shared/extraction.ts';
import { lexiconScores, sentimentTokens } from './sentiment-features.ts';
import { loadSentimentModel, NB_SCALE, nbScore } from './sentiment-model.ts';

/**
 * |score| below this is neutral: the stacker is not confident either way. 0.15 gave the best
 * 3-class accuracy (0.70) on VADER's Amazon snippets with mean >= 0.5 positive, <= -0.5 negative.
 */
export const NEUTRAL_BAND = 0.15;

export interface SentimentResult {
  label: SentimentLabel;
  /** tanh of half the stacker's logit, i.e. 2p - 1 with p = P(positive) */
  score: number;
}

export function labelFor(score: number): SentimentLabel {
  if (score >= NEUTRAL_BAND) return 'positive';
  if (score <= -NEUTRAL_BAND) return 'negative';
  return 'neutral';
}

export function scoreSentiment(text: string): SentimentResult {
  const model = loadSentimentModel();
  const lex = lexiconScores(text);
  const nb = nbScore(model, sentimentTokens(text));
  // No evidence at all ("ok", "hello", an order number): neutral rather than the prior's lean.
  if (lex.wink === 0 && lex.vader === 0 && nb.known === 0) return { label: 'neutral', score: 0 };
  const w = model.weights;
  // The stacker's bias offsets the lexicons' lean towards positive; with no lexicon evidence
  // ("where is my parcel?", "My order #1234") it would only push plain requests to negative.
  const noLexicon = lex.wink === 0 && lex.vader === 0;
  const bias = noLexicon ? 0 : w.bias;
  let z = w.wink * lex.wink + w.vader * lex.vader + w.nb * Math.tanh(nb.score / NB_SCALE) + bias;
  // A question with no opinion words is a request; the review-trained model alone should not
  // call it negative unless its evidence is strong ("why is my order STILL not here?").
  if (noLexicon && /\?\s*$/.test(text)) z /= 2;
  const score = Math.tanh(z / 2);
  return { label: labelFor(score), score };
}

/**
 * Offline sentiment of one text: a score in [-1, 1] and a label, in the text's language.
 *
 * English: a logistic stacker over wink-nlp's lexicon score, VADER's compound and a naive-Bayes
 * model over negation-scoped stems (trained on other review domains; see sentiment-model.ts),
 * applied per clause so that the clause after "but"/"however" weighs more, plus the domain rules
 * of lang/rule-sentiment.ts (events such as "still not arrived", sarcasm, "ordering again").
 * German, French, Spanish: the rule-based scorer over that language's lexicon only, so words that
 * are also English ("Gift", "Bad", "fast", "hell") keep their German meaning.
 */
import type { SentimentLabel } from '../../shared/extraction.ts';
import { ruleSentiment } from './lang/rule-sentiment.ts';
import type { Lang } from './lang/tokens.ts';
import { lexiconScores, sentimentTokens } from './sentiment-features.ts';
import { loadSentimentModel, NB_SCALE, nbScore } from './sentiment-model.ts';

/**
 * |score| below this is neutral. Calibrated with `npx tsx server/analysis/calibrate-sentiment.ts`
 * on VADER's Amazon snippets (raters' mean >= 0.5 positive, <= -0.5 negative, between: neutral):
 * 3-class macro-F1 0.643 at 0.3 (0.645 at 0.25, 0.628 at the earlier 0.15; accuracy 0.68-0.70 across them).
 */
export const NEUTRAL_BAND = 0.3;

export interface SentimentResult {
  label: SentimentLabel;
  /** in [-1, 1]; English: tanh of half the combined logit */
  score: number;
}

export function labelFor(score: number): SentimentLabel {
  if (score >= NEUTRAL_BAND) return 'positive';
  if (score <= -NEUTRAL_BAND) return 'negative';
  return 'neutral';
}

const logitCache = new Map<string, number | null>();

/**
 * Forget remembered clause scores: the offline extractor calls this per conversation, so the
 * memo only saves scoring a sentence twice within one conversation (message and sentence level).
 */
export function resetSentimentMemo(): void {
  logitCache.clear();
}

/** The English stacker's logit for one clause; null when no model or lexicon knows a word of it. */
export function stackerLogit(text: string): number | null {
  // a conversation's sentences are scored for the message and again on their own: compute once
  const hit = logitCache.get(text);
  if (hit !== undefined) return hit;
  const z = computeStackerLogit(text);
  if (logitCache.size > 1_000) logitCache.clear();
  logitCache.set(text, z);
  return z;
}

function computeStackerLogit(text: string): number | null {
  const model = loadSentimentModel();
  const lex = lexiconScores(text);
  const nb = nbScore(model, sentimentTokens(text));
  if (lex.wink === 0 && lex.vader === 0 && nb.known === 0) return null;
  const noLexicon = lex.wink === 0 && lex.vader === 0;
  // No opinion words: the review-trained model alone reads shop words ("return", "order") as
  // complaints; a question or request without opinion words is neutral unless the rules say otherwise.
  if (noLexicon && /\?/.test(text)) return null;
  const w = model.weights;
  // The stacker's bias offsets the lexicons' lean towards positive; with no lexicon evidence
  // ("where is my parcel?", "My order #1234") it would only push plain requests to negative.
  let z = w.wink * lex.wink + w.vader * lex.vader + w.nb * Math.tanh(nb.score / NB_SCALE) + (noLexicon ? 0 : w.bias);
  // a statement with no opinion words: the model's lean counts half
  if (noLexicon) z /= 2;
  return z;
}

const CONTRAST_EN = /,?\s+\b(?:but|however|yet|though|although)\b\s*,?\s*/i;

/** English: clauses around "but"/"however"/"though" in a sentence, the last one weighing 1.5 : 0.5. */
function englishLogit(text: string): number | null {
  const sentences = text.split(/(?<=[.!?])\s+/).filter((s) => s.trim());
  let sum = 0;
  let weight = 0;
  for (const s of sentences) {
    const parts = s.split(CONTRAST_EN).filter((p) => p.trim());
    if (parts.length < 2) {
      const z = stackerLogit(s);
      if (z !== null) [sum, weight] = [sum + z, weight + 1];
      continue;
    }
    parts.forEach((p, i) => {
      const z = stackerLogit(p);
      if (z === null) return;
      const w = i === parts.length - 1 ? 1.5 : 0.5;
      sum += w * z;
      weight += w;
    });
  }
  return weight ? sum / weight : null;
}

/** weight of the English domain rules' valence sum in logit units */
const RULE_WEIGHT_EN = 0.8;

export interface SentimentOptions {
  /** the text asks for something: thanks and politeness weigh little */
  request?: boolean;
  /** valence from outside the lexicon (e.g. a reported defect or a threat), in the rules' units */
  extraValence?: number;
}

export function scoreSentiment(text: string, lang: Lang = 'en', opts: SentimentOptions = {}): SentimentResult {
  const rules = ruleSentiment(text, lang, opts);
  if (opts.extraValence) {
    rules.sum += opts.extraValence;
    rules.evidence++;
    rules.score = rules.sum / Math.sqrt(rules.sum * rules.sum + 15);
  }
  if (lang !== 'en') return { label: labelFor(rules.score), score: rules.score };
  const z = englishLogit(text);
  if (z === null && rules.evidence === 0) return { label: 'neutral', score: 0 };
  // A clear domain phrase ("ordering again", "still not arrived") outweighs a bag-of-words lean the
  // other way: review-trained weights read shop words ("order", "month") as complaints.
  const overruled = z !== null && Math.abs(rules.sum) >= 2.5 && Math.sign(rules.sum) !== Math.sign(z);
  let total = (overruled ? 0.3 * (z ?? 0) : (z ?? 0)) + RULE_WEIGHT_EN * rules.sum;
  // Sarcasm: the lexicons read "Oh great ... fantastic job" as praise; the rules know better.
  if (rules.sarcasm) total = Math.min(total, RULE_WEIGHT_EN * rules.sum, -1);
  const score = Math.tanh(total / 2);
  return { label: labelFor(score), score };
}

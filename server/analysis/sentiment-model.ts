/**
 * The learned part of offline sentiment: naive-Bayes log-likelihood ratios per token, and a
 * logistic-regression stacker over [wink, vader, tanh(nb / NB_SCALE)]. Produced by
 * train-sentiment.ts from the product-review data in ../shared/data (never from Yelp, which is the
 * benchmark) and shipped as sentiment-model.json.
 */
import { z } from 'zod';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NB_SCALE = 4;

export const SentimentModel = z.object({
  version: z.string(),
  trainedOn: z.array(z.string()),
  weights: z.object({ wink: z.number(), vader: z.number(), nb: z.number(), bias: z.number() }),
  logRatio: z.record(z.string(), z.number()),
});
export type SentimentModel = z.infer<typeof SentimentModel>;

export const MODEL_PATH = join(dirname(fileURLToPath(import.meta.url)), 'sentiment-model.json');

let cached: SentimentModel | null = null;

export function loadSentimentModel(): SentimentModel {
  cached ??= SentimentModel.parse(JSON.parse(readFileSync(MODEL_PATH, 'utf8')));
  return cached;
}

/** Summed log-ratio of the distinct known tokens; 0 when none is known. */
export function nbScore(model: SentimentModel, tokens: string[]): { score: number; known: number } {
  let score = 0;
  let known = 0;
  for (const t of new Set(tokens)) {
    // own properties only: "constructor" or "__proto__" typed by a visitor are not model weights
    if (!Object.hasOwn(model.logRatio, t)) continue;
    const r = model.logRatio[t];
    if (typeof r !== 'number') continue;
    score += r;
    known++;
  }
  return { score, known };
}

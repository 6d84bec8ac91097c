/**
 * Rebuilds sentiment-model.json: `npx tsx server/analysis/train-sentiment.ts [DATA_DIR]`
 * (default ../shared/data). Trains on product reviews only (VADER's Amazon snippets with
 * |mean| >= 0.5, clothing reviews with 1-2 vs 4-5 stars); Yelp stays unseen so the benchmark on it
 * measures generalisation to another domain. The stacker is fitted on out-of-fold naive-Bayes
 * scores (5 folds) so it does not learn to over-trust a model scoring its own training texts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { lexiconScores, sentimentTokens } from './sentiment-features.ts';
import { MODEL_PATH, NB_SCALE, nbScore, type SentimentModel } from './sentiment-model.ts';

interface Sample {
  tokens: string[];
  text: string;
  y: 0 | 1;
}

const MIN_COUNT = 2;
const FOLDS = 5;

function loadSamples(dir: string): Sample[] {
  const amazon = readFileSync(join(dir, 'vader_amazon_snippets_groundtruth.txt'), 'utf8')
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((p) => p.length >= 3 && Math.abs(Number(p[1])) >= 0.5)
    .map((p) => ({ text: p[2] ?? '', y: Number(p[1]) > 0 ? (1 as const) : (0 as const) }));
  const rows = parse(readFileSync(join(dir, 'clothing_reviews_sample.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  const clothing = rows
    .filter((r) => r.Rating !== '3')
    .map((r) => ({ text: `${r.Title ?? ''}. ${r['Review Text'] ?? ''}`, y: Number(r.Rating) >= 4 ? (1 as const) : (0 as const) }));
  return [...amazon, ...clothing].map((s) => ({ ...s, tokens: sentimentTokens(s.text) }));
}

/** Multinomial NB over distinct tokens per document, Laplace smoothing; log P(t|+) - log P(t|-). */
function trainNaiveBayes(samples: Sample[], minCount: number): Record<string, number> {
  const counts = [new Map<string, number>(), new Map<string, number>()];
  const totals = [0, 0];
  for (const s of samples) {
    for (const t of new Set(s.tokens)) {
      counts[s.y]!.set(t, (counts[s.y]!.get(t) ?? 0) + 1);
      totals[s.y]!++;
    }
  }
  const vocab = new Set([...counts[0]!.keys(), ...counts[1]!.keys()]);
  const ratio: Record<string, number> = {};
  for (const t of vocab) {
    const pos = counts[1]!.get(t) ?? 0;
    const neg = counts[0]!.get(t) ?? 0;
    if (pos + neg < minCount) continue;
    ratio[t] = Math.log((pos + 1) / (totals[1]! + vocab.size)) - Math.log((neg + 1) / (totals[0]! + vocab.size));
  }
  return ratio;
}

/** Class-balanced logistic regression by batch gradient descent (4 features, a few thousand rows). */
function fitLogistic(x: number[][], y: number[]): number[] {
  const n = x.length;
  const pos = y.filter((v) => v === 1).length;
  const weightOf = (v: number) => (v === 1 ? n / (2 * pos) : n / (2 * (n - pos)));
  const dim = x[0]?.length ?? 0;
  const w = new Array<number>(dim).fill(0);
  for (let iter = 0; iter < 3000; iter++) {
    const grad = new Array<number>(dim).fill(0);
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      const z = xi.reduce((a, v, j) => a + v * w[j]!, 0);
      const err = (1 / (1 + Math.exp(-z)) - y[i]!) * weightOf(y[i]!);
      for (let j = 0; j < dim; j++) grad[j]! += err * xi[j]!;
    }
    for (let j = 0; j < dim; j++) w[j]! -= (0.5 * grad[j]!) / n;
  }
  return w;
}

function features(s: Sample, nb: number): number[] {
  const lex = lexiconScores(s.text);
  return [lex.wink, lex.vader, Math.tanh(nb / NB_SCALE), 1];
}

export function trainSentimentModel(dir: string): SentimentModel {
  const samples = loadSamples(dir);
  const x: number[][] = [];
  const y: number[] = [];
  for (let k = 0; k < FOLDS; k++) {
    const fold = { version: '', trainedOn: [], weights: { wink: 0, vader: 0, nb: 0, bias: 0 }, logRatio: trainNaiveBayes(samples.filter((_, i) => i % FOLDS !== k), MIN_COUNT) };
    samples.forEach((s, i) => {
      if (i % FOLDS !== k) return;
      x.push(features(s, nbScore(fold, s.tokens).score));
      y.push(s.y);
    });
  }
  const [wink = 0, vader = 0, nb = 0, bias = 0] = fitLogistic(x, y);
  return {
    version: 'sentiment@1',
    trainedOn: ['vader_amazon_snippets_groundtruth.txt (MIT, Hutto & Gilbert 2014)', 'clothing_reviews_sample.csv (CC0)'],
    weights: { wink, vader, nb, bias },
    logRatio: Object.fromEntries(Object.entries(trainNaiveBayes(samples, MIN_COUNT)).map(([t, r]) => [t, Math.round(r * 1000) / 1000])),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = resolve(process.argv[2] ?? '../shared/data');
  const model = trainSentimentModel(dir);
  writeFileSync(MODEL_PATH, `${JSON.stringify(model)}\n`);
  console.log(`wrote ${MODEL_PATH}: ${Object.keys(model.logRatio).length} tokens, weights ${JSON.stringify(model.weights)}`);
}

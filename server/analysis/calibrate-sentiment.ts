/**
 * Calibrates the neutral band of offline sentiment: `npx tsx server/analysis/calibrate-sentiment.ts [DATA_DIR]`
 * (default ../shared/data). VADER's Amazon snippets carry the mean intensity of 20+ raters
 * (-4..4): mean >= 0.5 is positive, <= -0.5 negative, between is neutral (723 of 3,708 snippets,
 * none of them used to train the model). Prints 3-class macro-F1 and accuracy per band width.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { scoreSentiment } from './sentiment.ts';

type Label = 'positive' | 'neutral' | 'negative';

export function macroF1Of(pairs: [Label, Label][]): number {
  const labels: Label[] = ['positive', 'neutral', 'negative'];
  return (
    labels.reduce((sum, l) => {
      const tp = pairs.filter(([g, w]) => g === l && w === l).length;
      const fp = pairs.filter(([g, w]) => g === l && w !== l).length;
      const fn = pairs.filter(([g, w]) => g !== l && w === l).length;
      return sum + (tp ? (2 * tp) / (2 * tp + fp + fn) : 0);
    }, 0) / labels.length
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = resolve(process.argv[2] ?? '../shared/data');
  const rows = readFileSync(join(dir, 'vader_amazon_snippets_groundtruth.txt'), 'utf8')
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((p) => p.length >= 3)
    .map((p) => {
      const mean = Number(p[1]);
      const want: Label = mean >= 0.5 ? 'positive' : mean <= -0.5 ? 'negative' : 'neutral';
      return { score: scoreSentiment(p[2] ?? '').score, want };
    });
  for (const band of [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4]) {
    const pairs = rows.map((r): [Label, Label] => [r.score >= band ? 'positive' : r.score <= -band ? 'negative' : 'neutral', r.want]);
    const acc = pairs.filter(([g, w]) => g === w).length / pairs.length;
    console.log(`band ${band.toFixed(2)}: macro-F1 ${macroF1Of(pairs).toFixed(3)}, accuracy ${acc.toFixed(3)}`);
  }
}

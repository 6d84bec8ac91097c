/**
 * Analysis benchmarks: offline sentiment on Yelp (never trained on) beside a plain word-list
 * scorer, topic top-1 on held-out BANKING77 queries beside word-overlap nearest example, and
 * extraction fields on the written eval set (bench/eval/conversations.json, en/de/fr/es) beside the
 * extractor as it was before (bench/baselines/extraction-v1), 3-class sentiment macro-F1 there
 * beside binary accuracy on Yelp, and extraction throughput on 10,000 generated conversations
 * beside reading the same rows.
 * `npx tsx bench/analysis.ts` prints the table; bench/run.ts calls benchAnalysis().
 * Data: bench/data/ (copies of the public sets; PARLEY_BENCH_DATA overrides).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { createExtractionService } from '../server/analysis/extraction-service.ts';
import { createOfflineExtractor } from '../server/analysis/offline-extractor.ts';
import { createOfflineExtractor as createBaselineExtractor } from './baselines/extraction-v1/offline-extractor.ts';
import { scoreSentiment } from '../server/analysis/sentiment.ts';
import { scoreSentiment as scoreSentimentV1 } from './baselines/extraction-v1/sentiment.ts';
import { benchExtraction } from './extraction-eval.ts';
import { seedEnded, shopStore } from '../server/analysis/test-fixtures.ts';
import { createTopicMatcher } from '../server/analysis/topic-matcher.ts';
import { createLogger } from '../server/logger.ts';
import type { ExtractionInput } from '../server/analysis/extractor-types.ts';
import type { Author } from '../shared/message.ts';
import type { Topic } from '../shared/site.ts';
import { row, type BenchRow } from './row.ts';
import { formatTable } from './table.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = process.env.PARLEY_BENCH_DATA ?? resolve(ROOT, 'bench/data');
const CONVERSATIONS = Number(process.env.PARLEY_BENCH_CONVERSATIONS ?? 10_000);

interface Labelled {
  text: string;
  positive: boolean;
}

function yelp(): Labelled[] {
  return readFileSync(join(DATA, 'yelp_labelled.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const tab = l.lastIndexOf('\t');
      return { text: l.slice(0, tab), positive: l.slice(tab + 1).trim() === '1' };
    });
}

/** Baseline: sum of VADER's word valences, no rules (no negation, intensifiers or contrast). */
function wordListScorer(): (text: string) => number {
  const lexicon = new Map<string, number>();
  for (const line of readFileSync(join(ROOT, 'node_modules/vader-sentiment/vader_lexicon.txt'), 'utf8').split('\n')) {
    const [word, valence] = line.split('\t');
    if (word && valence) lexicon.set(word, Number(valence));
  }
  return (text) => text.toLowerCase().split(/[^a-z']+/).reduce((sum, w) => sum + (lexicon.get(w) ?? 0), 0);
}

function accuracyAndF1(data: Labelled[], positive: (text: string) => boolean): { accuracy: number; macroF1: number } {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (const d of data) {
    const p = positive(d.text);
    if (p && d.positive) tp++;
    else if (p) fp++;
    else if (d.positive) fn++;
    else tn++;
  }
  const f1 = (t: number, f: number, m: number) => (t === 0 ? 0 : (2 * t) / (2 * t + f + m));
  return { accuracy: (tp + tn) / data.length, macroF1: (f1(tp, fp, fn) + f1(tn, fn, fp)) / 2 };
}

function benchSentiment(): BenchRow[] {
  const data = yelp();
  const ours = accuracyAndF1(data, (t) => scoreSentiment(t).score > 0);
  const wordList = wordListScorer();
  const base = accuracyAndF1(data, (t) => wordList(t) > 0);
  const note = 'plain word-list scorer (VADER lexicon sum, no rules)';
  const v1 = accuracyAndF1(data, (t) => scoreSentimentV1(t).score > 0);
  const v1note = 'offline sentiment before issue 8 (bench/baselines/extraction-v1), same run';
  return [
    row('sentiment accuracy, Yelp (offline)', ours.accuracy, 'fraction', base.accuracy, note),
    row('sentiment macro-F1, Yelp (offline)', ours.macroF1, 'F1', base.macroF1, note),
    row('sentiment binary accuracy, Yelp, vs before', ours.accuracy, 'fraction', v1.accuracy, v1note),
  ];
}

const words = (s: string) => new Set(s.toLowerCase().split(/[^a-z0-9']+/).filter(Boolean));

function benchTopics(): BenchRow[] {
  const rows = parse(readFileSync(join(DATA, 'banking77_train.csv'), 'utf8'), { columns: true }) as { text: string; category: string }[];
  const byIntent = new Map<string, string[]>();
  for (const r of rows) byIntent.set(r.category, [...(byIntent.get(r.category) ?? []), r.text]);
  // Every 5th query of each intent is held out; the other 80% define the 77 topics.
  const topics: Topic[] = [];
  const heldOut: { text: string; intent: string }[] = [];
  for (const [intent, texts] of byIntent) {
    topics.push({ name: intent, description: '', examples: texts.filter((_, i) => i % 5 !== 0) });
    for (const text of texts.filter((_, i) => i % 5 === 0)) heldOut.push({ text, intent });
  }
  const matcher = createTopicMatcher(topics);
  const ours = heldOut.filter((q) => matcher.match(q.text)[0]?.name === q.intent).length / heldOut.length;

  const examples = topics.flatMap((t) => t.examples.map((e) => ({ intent: t.name, words: words(e) })));
  const overlap = heldOut.filter((q) => {
    const qw = words(q.text);
    let best = '';
    let bestScore = -1;
    for (const e of examples) {
      let inter = 0;
      for (const w of qw) if (e.words.has(w)) inter++;
      const jaccard = inter / (qw.size + e.words.size - inter || 1);
      if (jaccard > bestScore) [best, bestScore] = [e.intent, jaccard];
    }
    return best === q.intent;
  }).length / heldOut.length;
  return [row(`topic top-1, BANKING77 (${heldOut.length} held out, 77 topics)`, ours, 'fraction', overlap, 'nearest example by word overlap (Jaccard)')];
}

const OPENERS = ['Hi', 'Hello there', 'Quick question', 'Hey'];
const BODIES = [
  'My order still has not arrived after two weeks.',
  'The dress fits perfectly and delivery was fast.',
  'I was charged twice for the same order.',
  'The checkout page keeps crashing on my phone.',
  'Great quality, I love it.',
  'How do I return these shoes? They run small.',
  'Nobody answers my emails, this is ridiculous.',
  'Shipping costs are too high for such a small parcel.',
  'Everything was fine, thanks.',
  'Please call me back on 020 7946 0958, it is urgent.',
];

/** A deterministic mix of survey and support conversations. */
function generated(i: number): { answers: { questionId: string; type: string; value: number; raw: string; elaborations: string[]; answeredAt: number }[]; lines: [Author, string][] } {
  const score = (i * 7) % 11;
  const a = BODIES[i % BODIES.length]!;
  const b = BODIES[(i * 3 + 1) % BODIES.length]!;
  return {
    answers: [{ questionId: 'nps', type: 'nps', value: score, raw: String(score), elaborations: [], answeredAt: 1 }],
    lines: [
      ['bot', 'How likely are you to recommend us?'],
      ['visitor', String(score)],
      ['bot', 'What is the main reason for your score?'],
      ['visitor', `${OPENERS[i % OPENERS.length]}. ${a}`],
      ['bot', 'Thanks! Anything else?'],
      ['visitor', b],
    ],
  };
}

async function benchThroughput(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-analysis-'));
  try {
    // The shop site carries the demo topic taxonomy the conversations are matched against.
    const { store, siteId } = await shopStore(join(dir, 'bench.db'));
    const ids = await store.tx(async () => {
      const out: string[] = [];
      // one after the other: each seed is its own savepoint inside this transaction
      for (let i = 0; i < CONVERSATIONS; i++) out.push(await seedEnded(store, siteId, generated(i)));
      return out;
    });
    const t0 = performance.now();
    for (const id of ids) await store.extractions.loadInput(id);
    const readSeconds = (performance.now() - t0) / 1000;

    const service = createExtractionService({ extractions: store.extractions, llm: null, log: createLogger('silent') });
    const t1 = performance.now();
    for (const id of ids) await service.extract(id);
    const extractSeconds = (performance.now() - t1) / 1000;
    if ((await store.extractions.count()) !== ids.length) throw new Error('not every conversation got an extraction');

    // the same inputs, in memory, through today's extractor and the one before issue 8
    const inputs: ExtractionInput[] = [];
    for (const id of ids.slice(0, Math.min(2_000, ids.length))) inputs.push((await store.extractions.loadInput(id))!);
    const timed = async (x: { extract(i: (typeof inputs)[number]): Promise<unknown> }) => {
      const t = performance.now();
      for (const i of inputs) await x.extract(i);
      return inputs.length / ((performance.now() - t) / 1000);
    };
    const v1 = createBaselineExtractor();
    await v1.extract(inputs[0]!);
    const before = await timed(v1);
    const now = await timed(createOfflineExtractor());
    return [
      row(
        `offline extraction in memory, ${inputs.length.toLocaleString('en-US')} conversations, vs before`,
        now,
        'conv/s',
        before,
        'extractor before issue 8 (English only), same inputs, same run',
      ),
      row(
        `offline extraction, ${CONVERSATIONS.toLocaleString('en-US')} conversations`,
        ids.length / extractSeconds,
        'conv/s',
        ids.length / readSeconds,
        'reading the same rows only (transcript, answers, topics)',
      ),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchAnalysis(): Promise<BenchRow[]> {
  return [...benchSentiment(), ...benchTopics(), ...(await benchExtraction()), ...(await benchThroughput())];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(formatTable(await benchAnalysis()));
}

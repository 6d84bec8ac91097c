/**
 * Extraction evaluation: bench/eval/conversations.json (written for this purpose in en/de/fr/es,
 * not copied from the issue) run through the current offline extractor and, in the same run,
 * through the extractor as it was before (bench/baselines/extraction-v1). Prints per-field
 * accuracy old vs new and 3-class sentiment macro-F1. `npx tsx bench/extraction-eval.ts [--holdout] [--misses]`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { Expectation, SentimentLabel, Urgency, type Extraction } from '../shared/extraction.ts';
import { Topic } from '../shared/site.ts';
import type { ExtractionInput, Extractor } from '../server/analysis/extractor-types.ts';
import { createOfflineExtractor } from '../server/analysis/offline-extractor.ts';
import { createOfflineExtractor as createBaselineExtractor } from './baselines/extraction-v1/offline-extractor.ts';
import { row, type BenchRow } from './row.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const EvalConversation = z.object({
  id: z.string(),
  lang: z.enum(['en', 'de', 'fr', 'es']),
  locale: z.string().optional(),
  /** the visitor's messages, in order (a bot greeting is put before them) */
  v: z.array(z.string()).min(1),
  answers: z.array(z.object({ questionId: z.string(), type: z.enum(['nps', 'csat', 'ces', 'stars']), value: z.number() })).optional(),
  expect: z.object({
    sentiment: SentimentLabel,
    followUp: z.boolean(),
    urgency: Urgency.nullable(),
    contact: z.object({ email: z.string().nullable(), phone: z.string().nullable() }).nullable(),
    /** the first expectation stated in expectation language, or null */
    expectation: z.object({ kind: Expectation.shape.kind, status: Expectation.shape.status }).nullable(),
    /** topic names of examples/topics.json; the first is the main one */
    topics: z.array(z.string()),
  }),
});
export type EvalConversation = z.infer<typeof EvalConversation>;

export const FIELDS = ['sentiment', 'followUp', 'urgency', 'contact', 'expectation', 'topics'] as const;
export type Field = (typeof FIELDS)[number];

/**
 * conversations.json: the set the rules were developed against (78 conversations);
 * conversations-holdout.json: 30 more, written after that work and never tuned on.
 */
export type EvalSetName = 'main' | 'holdout';

export function loadEvalSet(set: EvalSetName = 'main'): { conversations: EvalConversation[]; topics: Topic[] } {
  const file = set === 'main' ? 'conversations.json' : 'conversations-holdout.json';
  const conversations = z.array(EvalConversation).parse(JSON.parse(readFileSync(join(ROOT, 'bench/eval', file), 'utf8')));
  const topics = z.array(Topic).parse(JSON.parse(readFileSync(join(ROOT, 'examples/topics.json'), 'utf8')));
  return { conversations, topics };
}

const GREETING: Record<EvalConversation['lang'], string> = {
  en: 'Hi! How can we help?',
  de: 'Hallo! Wie können wir helfen?',
  fr: 'Bonjour ! Comment pouvons-nous vous aider ?',
  es: '¡Hola! ¿En qué podemos ayudarte?',
};

export function inputFor(c: EvalConversation, topics: Topic[]): ExtractionInput {
  const texts: [ExtractionInput['messages'][number]['author'], string][] = [['bot', GREETING[c.lang]], ...c.v.map((t) => ['visitor', t] as [ 'visitor', string])];
  return {
    conversationId: c.id,
    messages: texts.map(([author, text], i) => ({ id: i + 1, author, text })),
    answers: (c.answers ?? []).map((a) => ({ ...a, raw: String(a.value), elaborations: [], answeredAt: 1 })),
    scales: {},
    topics,
    needsHuman: false,
    locale: c.locale ?? null,
  };
}

const digits = (s: string | null | undefined) => (s ?? '').replace(/\D/g, '');
/** the same number whether written nationally or internationally: compare the last 8 digits */
const samePhone = (a: string | null, b: string | null) => (a === null || b === null ? a === b : digits(a).slice(-8) === digits(b).slice(-8));

export function fieldCorrect(field: Field, c: EvalConversation, e: Extraction): boolean {
  const x = c.expect;
  switch (field) {
    case 'sentiment':
      return e.sentiment.label === x.sentiment;
    case 'followUp':
      return e.followUp.needed === x.followUp;
    case 'urgency':
      return (e.followUp.needed ? e.followUp.urgency : null) === x.urgency;
    case 'contact': {
      const want = x.contact ?? { email: null, phone: null };
      return (e.followUp.contact.email ?? null)?.toLowerCase() === want.email?.toLowerCase() && samePhone(e.followUp.contact.phone, want.phone);
    }
    case 'expectation': {
      const first = e.expectations[0] ?? null;
      if (!x.expectation) return first === null;
      return first !== null && first.kind === x.expectation.kind && first.status === x.expectation.status;
    }
    case 'topics': {
      const top = e.topics[0]?.name ?? null;
      return x.topics.length === 0 ? top === null : top !== null && x.topics.includes(top);
    }
  }
}

export interface FieldScores {
  accuracy: Record<Field, number>;
  /** 3-class macro-F1 of the conversation sentiment */
  sentimentMacroF1: number;
  misses: { id: string; field: Field; got: unknown }[];
}

export function macroF1(pairs: [string, string][], labels: readonly string[]): number {
  let sum = 0;
  for (const l of labels) {
    const tp = pairs.filter(([g, w]) => g === l && w === l).length;
    const fp = pairs.filter(([g, w]) => g === l && w !== l).length;
    const fn = pairs.filter(([g, w]) => g !== l && w === l).length;
    sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return sum / labels.length;
}

export async function scoreExtractor(extractor: Extractor, conversations: EvalConversation[], topics: Topic[]): Promise<FieldScores> {
  const correct = Object.fromEntries(FIELDS.map((f) => [f, 0])) as Record<Field, number>;
  const misses: FieldScores['misses'] = [];
  const pairs: [string, string][] = [];
  for (const c of conversations) {
    const e = await extractor.extract(inputFor(c, topics));
    pairs.push([e.sentiment.label, c.expect.sentiment]);
    for (const f of FIELDS) {
      if (fieldCorrect(f, c, e)) correct[f]++;
      else {
        const got = { sentiment: e.sentiment, followUp: e.followUp.needed, urgency: e.followUp.urgency, contact: e.followUp.contact, expectation: e.expectations[0] ?? null, topics: e.topics }[f];
        misses.push({ id: c.id, field: f, got });
      }
    }
  }
  const n = conversations.length || 1;
  const accuracy = Object.fromEntries(FIELDS.map((f) => [f, correct[f] / n])) as Record<Field, number>;
  return { accuracy, sentimentMacroF1: macroF1(pairs, SentimentLabel.options), misses };
}

export async function evaluateExtraction(opts: { baseline?: boolean; set?: EvalSetName } = {}): Promise<{ n: number; current: FieldScores; baseline: FieldScores | null }> {
  const { conversations, topics } = loadEvalSet(opts.set);
  const current = await scoreExtractor(createOfflineExtractor(() => 0), conversations, topics);
  const baseline = opts.baseline === false ? null : await scoreExtractor(createBaselineExtractor(() => 0), conversations, topics);
  return { n: conversations.length, current, baseline };
}

export async function benchExtraction(): Promise<BenchRow[]> {
  const note = 'extractor before issue 8 (bench/baselines/extraction-v1), same run';
  const rows: BenchRow[] = [];
  for (const set of ['main', 'holdout'] as const) {
    const { n, current, baseline } = await evaluateExtraction({ set });
    if (!baseline) throw new Error('baseline missing');
    const where = set === 'main' ? `eval set (${n} conv., en/de/fr/es)` : `held-out set (${n} conv., see bench/eval/README.md)`;
    rows.push(...FIELDS.map((f) => row(`extraction ${f}, ${where}`, current.accuracy[f], 'fraction', baseline.accuracy[f], note)));
    rows.push(row(`extraction sentiment 3-class macro-F1, ${where}`, current.sentimentMacroF1, 'F1', baseline.sentimentMacroF1, note));
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const set: EvalSetName = process.argv.includes('--holdout') ? 'holdout' : 'main';
  const { n, current, baseline } = await evaluateExtraction({ set });
  if (!baseline) throw new Error('baseline missing');
  console.log(`${set === 'main' ? 'eval set' : 'held-out set'}: ${n} conversations`);
  console.log(`${'field'.padEnd(22)}${'old'.padStart(8)}${'new'.padStart(8)}`);
  for (const f of FIELDS) console.log(`${f.padEnd(22)}${baseline.accuracy[f].toFixed(3).padStart(8)}${current.accuracy[f].toFixed(3).padStart(8)}`);
  console.log(`${'sentiment macro-F1'.padEnd(22)}${baseline.sentimentMacroF1.toFixed(3).padStart(8)}${current.sentimentMacroF1.toFixed(3).padStart(8)}`);
  if (process.argv.includes('--misses')) for (const m of current.misses) console.log(`${m.id} ${m.field}: ${JSON.stringify(m.got)}`);
}

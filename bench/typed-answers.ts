/**
 * Typed scale answers: the offline reader (server/conversation/answer-parsing.ts) beside today's
 * rules kept in bench/baselines/answer-parsing-v1.ts, on bench/eval/typed-answers.json (NPS, CSAT
 * and CES answers in en/de/fr/es, each with the value a person would record or "ask"), and on a
 * held-out set written after the rules were frozen (typed-answers-holdout.json).
 * Right = the expected value stored, or an ask-back when the answer does not give one; stored
 * wrong = a value stored that is not the expected one. `npx tsx bench/typed-answers.ts [--misses]`
 * prints the table (and the misreads); bench/run.ts calls benchTypedAnswers().
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Question } from '../shared/flow.ts';
import type { WidgetLang } from '../shared/widget-i18n/langs.ts';
import { readAnswer } from '../server/conversation/answer-parsing.ts';
import { readTypedScaleV1 } from './baselines/answer-parsing-v1.ts';
import { row, type BenchRow } from './row.ts';
import { formatTable } from './table.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface TypedAnswer {
  q: 'nps' | 'csat' | 'ces';
  lang: WidgetLang;
  text: string;
  expect: number | 'ask';
  labels?: { low: string; high: string };
}

/** the main set, or the held-out one (written after the reader's rules were frozen) */
export function loadTypedAnswers(set: 'main' | 'holdout' | 'holdout-2' | 'holdout-3' = 'main'): TypedAnswer[] {
  const file = set === 'main' ? 'typed-answers.json' : `typed-answers-${set}.json`;
  return JSON.parse(readFileSync(resolve(ROOT, 'bench/eval', file), 'utf8')) as TypedAnswer[];
}

type Outcome = { stored: number } | 'ask';

function outcome(r: { kind: string; value?: unknown; confident?: boolean }): Outcome {
  return r.kind === 'value' && r.confident === true && typeof r.value === 'number' ? { stored: r.value } : 'ask';
}

const questions = new Map<string, Question>();
function questionFor(item: TypedAnswer): Question {
  const key = `${item.q}|${item.labels?.low ?? ''}|${item.labels?.high ?? ''}`;
  let q = questions.get(key);
  if (!q) {
    q = Question.parse({
      id: item.q,
      type: item.q,
      prompt: 'How was it?',
      ...(item.q === 'nps' && item.labels ? { lowLabel: item.labels.low, highLabel: item.labels.high } : {}),
    });
    questions.set(key, q);
  }
  return q;
}

export function readNew(item: TypedAnswer): Outcome {
  return outcome(readAnswer(questionFor(item), item.text, undefined, { lang: item.lang }));
}

export function readOld(item: TypedAnswer): Outcome {
  return outcome(readTypedScaleV1(item.q, item.text));
}

export interface Score {
  n: number;
  right: number;
  storedWrong: number;
  asked: number;
  misses: { item: TypedAnswer; got: Outcome }[];
}

export function score(items: TypedAnswer[], read: (item: TypedAnswer) => Outcome): Score {
  const s: Score = { n: items.length, right: 0, storedWrong: 0, asked: 0, misses: [] };
  for (const item of items) {
    const got = read(item);
    const ok = got === 'ask' ? item.expect === 'ask' : got.stored === item.expect;
    if (got === 'ask') s.asked++;
    else if (got.stored !== item.expect) s.storedWrong++;
    if (ok) s.right++;
    else s.misses.push({ item, got });
  }
  return s;
}

const LANGS: WidgetLang[] = ['en', 'de', 'fr', 'es'];

export function benchTypedAnswers(): BenchRow[] {
  const items = loadTypedAnswers();
  const rows: BenchRow[] = [];
  const groups: [string, TypedAnswer[]][] = [
    ['all', items],
    ...LANGS.map((l): [string, TypedAnswer[]] => [l, items.filter((i) => i.lang === l)]),
    ['held-out', loadTypedAnswers('holdout')],
    ['held-out 2', loadTypedAnswers('holdout-2')],
    ['held-out 3', loadTypedAnswers('holdout-3')],
  ];
  for (const [name, group] of groups) {
    const now = score(group, readNew);
    const old = score(group, readOld);
    const label = `typed answers ${name} (${group.length})`;
    rows.push(row(`${label}: right`, now.right, `of ${now.n}`, old.right, 'today’s rules'));
    rows.push(row(`${label}: accuracy`, now.right / now.n, 'ratio', old.right / old.n, 'today’s rules'));
    rows.push(row(`${label}: stored wrong`, now.storedWrong, 'answers', old.storedWrong, 'today’s rules'));
    rows.push(row(`${label}: asked back`, now.asked / now.n, 'ratio', old.asked / old.n, 'today’s rules'));
  }
  rows.push(timing(items));
  return rows;
}

/** CPU per typed answer, new reader beside the old one (each over the main set, 20 rounds) */
function timing(items: TypedAnswer[]): BenchRow {
  const perAnswer = (read: (item: TypedAnswer) => Outcome): number => {
    for (const item of items) read(item); // warm up
    const rounds = 20;
    const start = process.hrtime.bigint();
    for (let r = 0; r < rounds; r++) for (const item of items) read(item);
    return Number(process.hrtime.bigint() - start) / 1_000 / (rounds * items.length);
  };
  return row('typed answers: reading time per answer', perAnswer(readNew), 'µs', perAnswer(readOld), 'today’s rules');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(formatTable(benchTypedAnswers()));
  if (process.argv.includes('--misses')) {
    for (const m of [...score(loadTypedAnswers(), readNew).misses, ...score(loadTypedAnswers('holdout'), readNew).misses, ...score(loadTypedAnswers('holdout-2'), readNew).misses, ...score(loadTypedAnswers('holdout-3'), readNew).misses]) {
      console.log(`${m.item.lang} ${m.item.q} ${JSON.stringify(m.item.text)} expected ${m.item.expect} got ${m.got === 'ask' ? 'ask' : m.got.stored}`);
    }
  }
}

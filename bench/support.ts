/**
 * Support answers on bench/eval/support-questions.json (four languages; covered, paraphrased,
 * follow-up, near-miss and uncovered questions), offline: the current retriever beside the one
 * before issue 8 (bench/baselines/support-v1.ts) on the same knowledge base, in the same run.
 * `npx tsx bench/support.ts` prints the table and the misses; bench/run.ts calls benchSupport().
 */
import { fileURLToPath } from 'node:url';
import { loadKbDir } from '../server/conversation/example-kb.ts';
import { createKnowledgeBase } from '../server/conversation/knowledge-base.ts';
import { WIDGET_LANGS } from '../shared/widget-i18n/langs.ts';
import { answerV1, createKnowledgeBase as createKnowledgeBaseV1 } from './baselines/support-v1.ts';
import { row, type BenchRow } from './row.ts';
import { currentAnswerer, evaluate, loadQuestions, type EvalResult, type Score } from './support-eval.ts';
import { formatTable } from './table.ts';

const SITE = 'bench';

/** the demo knowledge base as it was before issue 8 (English tags only) */
const KB_V1_DIR = fileURLToPath(new URL('./baselines/kb-v1/', import.meta.url));

/** a fresh set (written after tuning): current and baseline */
export function runFreshEval(name: 'support-fresh' | 'support-fresh-2' = 'support-fresh'): { current: EvalResult; baseline: EvalResult } {
  const entries = loadKbDir();
  const questions = loadQuestions(name);
  const v1 = createKnowledgeBaseV1(() => loadKbDir(KB_V1_DIR));
  return { current: evaluate(questions, currentAnswerer(createKnowledgeBase(() => entries), SITE)), baseline: evaluate(questions, (q) => answerV1(v1, SITE, q.text)) };
}

export function runSupportEval(): { current: EvalResult; baseline: EvalResult; baselineNewKb: EvalResult; n: number } {
  const entries = loadKbDir();
  const questions = loadQuestions('support-questions');
  const current = evaluate(questions, currentAnswerer(createKnowledgeBase(() => entries), SITE));
  // the old runner had no memory: a follow-up was searched on its own
  const v1 = createKnowledgeBaseV1(() => loadKbDir(KB_V1_DIR));
  const baseline = evaluate(questions, (q) => answerV1(v1, SITE, q.text));
  const v1NewKb = createKnowledgeBaseV1(() => entries);
  const baselineNewKb = evaluate(questions, (q) => answerV1(v1NewKb, SITE, q.text));
  return { current, baseline, baselineNewKb, n: questions.length };
}

const rate = (s: Score | undefined, f: (s: Score) => number) => (s && s.n > 0 ? f(s) / s.n : 0);

export function benchSupport(): BenchRow[] {
  const { current, baseline, baselineNewKb, n } = runSupportEval();
  const note = 'before issue 8: old retriever and old KB, same questions';
  const rows = [
    row(`support: right article or honest "don't know" (${n} questions)`, rate(current.all, (s) => s.right), 'fraction', rate(baseline.all, (s) => s.right), note),
    row('support: wrong article shown', rate(current.all, (s) => s.wrongArticle), 'fraction', rate(baseline.all, (s) => s.wrongArticle), note),
  ];
  rows.push(
    row('support: right, old retriever on the new KB', rate(baselineNewKb.all, (s) => s.right), 'fraction', rate(baseline.all, (s) => s.right), 'old retriever and old KB'),
    row('support: wrong article, old retriever on the new KB', rate(baselineNewKb.all, (s) => s.wrongArticle), 'fraction', rate(baseline.all, (s) => s.wrongArticle), 'old retriever and old KB'),
  );
  for (const [name, label] of [
    ['support-fresh', 'fresh set 1 (glossary widened after seeing it)'],
    ['support-fresh-2', 'fresh set 2 (written last, nothing changed after)'],
  ] as const) {
    const fresh = runFreshEval(name);
    rows.push(
      row(`support, ${label} (${fresh.current.all.n}): right`, rate(fresh.current.all, (s) => s.right), 'fraction', rate(fresh.baseline.all, (s) => s.right), note),
      row(`support, ${label}: wrong article`, rate(fresh.current.all, (s) => s.wrongArticle), 'fraction', rate(fresh.baseline.all, (s) => s.wrongArticle), note),
    );
  }
  for (const lang of WIDGET_LANGS) {
    const c = current.byLang.get(lang);
    const b = baseline.byLang.get(lang);
    rows.push(row(`support ${lang}: right (${c?.n ?? 0})`, rate(c, (s) => s.right), 'fraction', rate(b, (s) => s.right), note));
    rows.push(row(`support ${lang}: wrong article`, rate(c, (s) => s.wrongArticle), 'fraction', rate(b, (s) => s.wrongArticle), note));
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(formatTable(benchSupport()));
  const { current } = runSupportEval();
  console.log('\nmisses (current):');
  for (const m of [...current.misses, ...runFreshEval().current.misses, ...runFreshEval('support-fresh-2').current.misses]) console.log(`  ${m.q.id} ${JSON.stringify(m.q.text)} expected ${m.q.expect ?? "don't know"}, got ${m.got ?? "don't know"}`);
}

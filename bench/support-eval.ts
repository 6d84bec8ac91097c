/**
 * Scoring support answers against bench/eval/*.json: a question counts as right when the bot
 * answers with the expected entry, or says "I don't know" when no entry holds the answer. A wrong
 * article (answering with another entry, or answering an uncovered question) is the failure that
 * misleads a customer; a "don't know" on a covered question only costs a hand-off.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { WidgetLang } from '../shared/widget-i18n/langs.ts';
import type { KnowledgeBase } from '../server/conversation/knowledge-base.ts';
import { retrieve, type Calibration, type SupportMemory } from '../server/conversation/kb-retrieval.ts';
import { languageOf } from '../server/text/language.ts';

const EvalQuestion = z.object({
  id: z.string(),
  lang: z.enum(['en', 'de', 'fr', 'es']),
  kind: z.string().optional(),
  text: z.string(),
  previous: z.string().optional(),
  expect: z.string().nullable(),
});
export type EvalQuestion = z.infer<typeof EvalQuestion>;

export function loadQuestions(name: 'support-questions' | 'support-calibration' | 'support-fresh' | 'support-fresh-2'): EvalQuestion[] {
  const raw: unknown = JSON.parse(readFileSync(new URL(`./eval/${name}.json`, import.meta.url), 'utf8'));
  return z.object({ questions: z.array(EvalQuestion) }).parse(raw).questions;
}

/** the entry id the bot answers with, or null for "I don't know" */
export type Answerer = (q: EvalQuestion) => string | null;

export interface Score {
  n: number;
  /** right article or honest don't-know */
  right: number;
  /** answered with an entry that is not the expected one */
  wrongArticle: number;
}

export interface EvalResult {
  all: Score;
  byLang: Map<WidgetLang, Score>;
  misses: { q: EvalQuestion; got: string | null }[];
}

export function evaluate(questions: EvalQuestion[], answer: Answerer): EvalResult {
  const all: Score = { n: 0, right: 0, wrongArticle: 0 };
  const byLang = new Map<WidgetLang, Score>();
  const misses: EvalResult['misses'] = [];
  for (const q of questions) {
    const got = answer(q);
    const s = byLang.get(q.lang) ?? { n: 0, right: 0, wrongArticle: 0 };
    byLang.set(q.lang, s);
    for (const x of [all, s]) {
      x.n++;
      if (got === q.expect) x.right++;
      else if (got !== null) x.wrongArticle++;
    }
    if (got !== q.expect) misses.push({ q, got });
  }
  return { all, byLang, misses };
}

/** the current support retriever, with memory of the previous question for follow-ups */
export function currentAnswerer(kb: KnowledgeBase, siteId: string, calibration?: Calibration): Answerer {
  return (q) => {
    let memory: SupportMemory | null = null;
    if (q.previous) {
      const prevLang = languageOf(q.previous, q.lang);
      const prev = retrieve(kb, siteId, q.previous, prevLang, null, calibration);
      memory = { question: prev.query, entryId: prev.answer?.entry.id ?? null };
    }
    return retrieve(kb, siteId, q.text, languageOf(q.text, q.lang), memory, calibration).answer?.entry.id ?? null;
  };
}

/**
 * The support evaluation cannot silently regress: at least 90% of the questions in
 * bench/eval/support-questions.json get the right article or an honest "don't know", in every
 * language at least 80%, and a wrong article is rare. Also: the evaluation really has
 * near-miss and uncovered questions, and it beats the retriever it replaced.
 */
import { describe, expect, it } from 'vitest';
import { WIDGET_LANGS } from '../shared/widget-i18n/langs.ts';
import { loadQuestions } from './support-eval.ts';
import { runSupportEval } from './support.ts';

describe('support evaluation', () => {
  const { current, baseline, n } = runSupportEval();

  it('has at least 70 questions in four languages, with follow-ups and questions the KB does not answer', () => {
    const qs = loadQuestions('support-questions');
    expect(n).toBeGreaterThanOrEqual(70);
    for (const lang of WIDGET_LANGS) expect(qs.filter((q) => q.lang === lang).length).toBeGreaterThanOrEqual(15);
    expect(qs.filter((q) => q.expect === null).length).toBeGreaterThanOrEqual(15);
    expect(qs.filter((q) => q.previous !== undefined).length).toBeGreaterThanOrEqual(8);
  });

  it('answers at least 90% right (right article or honest "don\'t know"), with at most 6% wrong articles', () => {
    expect(current.all.right / current.all.n).toBeGreaterThanOrEqual(0.9);
    expect(current.all.wrongArticle / current.all.n).toBeLessThanOrEqual(0.06);
    expect(current.all.right).toBeGreaterThan(baseline.all.right);
  });

  it.each(WIDGET_LANGS)('%s: at least 80% right', (lang) => {
    const s = current.byLang.get(lang);
    expect(s && s.right / s.n).toBeGreaterThanOrEqual(0.8);
  });
});

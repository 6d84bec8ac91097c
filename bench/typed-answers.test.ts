import { describe, expect, it } from 'vitest';
import { loadTypedAnswers, readNew, readOld, score } from './typed-answers.ts';

describe('typed scale answers (bench/eval)', () => {
  const items = loadTypedAnswers();

  it('has at least 220 answers in each of the four languages', () => {
    expect(items.length).toBeGreaterThanOrEqual(220);
    for (const lang of ['en', 'de', 'fr', 'es']) expect(items.filter((i) => i.lang === lang).length).toBeGreaterThanOrEqual(40);
  });

  it('reads at least 95% right and stores nothing wrong', () => {
    const s = score(items, readNew);
    expect(s.right / s.n).toBeGreaterThanOrEqual(0.95);
    expect(s.storedWrong).toBe(0);
  });

  it.each(['holdout', 'holdout-2', 'holdout-3'] as const)('stores nothing wrong on the %s set either', (set) => {
    const s = score(loadTypedAnswers(set), readNew);
    expect(s.storedWrong).toBe(0);
    expect(s.right / s.n).toBeGreaterThanOrEqual(0.9);
  });

  it('measures today’s rules in the same run (they store wrong values)', () => {
    expect(score(items, readOld).storedWrong).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from 'vitest';
import { allStems, documentTerms, fold, queryTokens } from './kb-terms.ts';
import { relevantText } from './kb-answer.ts';

describe('kb-terms memo', () => {
  it('stems a word the same after the memo has filled and started over (20,000 distinct words)', () => {
    const before = { stems: allStems('Versandkosten'), folded: fold('Envío'), terms: documentTerms('shipping to Österreich'), tokens: queryTokens('¿Cuánto cuesta el envío?', 'es') };
    for (let i = 0; i < 25_000; i++) documentTerms(`zz${i.toString(36)}word`);
    expect(allStems('Versandkosten')).toEqual(before.stems);
    expect(fold('Envío')).toBe(before.folded);
    expect(documentTerms('shipping to Österreich')).toEqual(before.terms);
    expect(queryTokens('¿Cuánto cuesta el envío?', 'es')).toEqual(before.tokens);
  });

  it('a caller changing the stems it was given does not change the next answer', () => {
    const stems = allStems('deliveries');
    stems.push('tampered');
    expect(allStems('deliveries')).not.toContain('tampered');
  });
});

describe('relevantText', () => {
  const body = 'Standard delivery takes 3 to 5 days.\n\nReturns are free within 30 days.\n\nGift cards never expire.';
  it('picks the paragraph that answers, and reads an edited entry afresh', () => {
    const entry = { id: 'x', title: 'Help', body, tags: [] };
    expect(relevantText(entry, 'how long does delivery take?', 'en', 1)).toBe('Standard delivery takes 3 to 5 days.');
    expect(relevantText(entry, 'do gift cards expire?', 'en', 1)).toBe('Gift cards never expire.');
    const edited = { ...entry, body: body.replace('Gift cards never expire.', 'Gift cards expire after two years.') };
    expect(relevantText(edited, 'do gift cards expire?', 'en', 1)).toBe('Gift cards expire after two years.');
  });
});

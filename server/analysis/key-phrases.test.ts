import { describe, expect, it } from 'vitest';
import { keyPhrases, nounPhrases } from './key-phrases.ts';
import { DEMO_TOPICS } from './test-fixtures.ts';
import { createTopicMatcher } from './topic-matcher.ts';

describe('key phrases', () => {
  it('finds noun phrases, not verbs or filler', () => {
    const phrases = nounPhrases('The gift wrapping was torn and the loyalty points never showed up.');
    expect(phrases).toContain('gift wrapping');
    expect(phrases).toContain('loyalty points');
    expect(phrases.join(' ')).not.toMatch(/\b(was|never|showed)\b/);
  });

  it('ignores pasted markup and links', () => {
    const phrases = nounPhrases('nobody answered my emails <img src=x onerror=alert(1)> see https://shop.example/orders/55 order page');
    expect(phrases.join(' ')).not.toMatch(/img|src|onerror|https|shop/);
    expect(phrases).toContain('order page');
  });

  it('keeps recurring or multi-word phrases that fit no listed topic', () => {
    const shop = createTopicMatcher(DEMO_TOPICS);
    const texts = ['The gift wrapping was torn.', 'Also my refund is missing and the gift wrapping looked sad.', 'My refund please.'];
    const out = keyPhrases(texts, (p) => shop.match(p).some((m) => m.score >= 0.6));
    expect(out[0]).toBe('gift wrapping');
    // "refund" recurs but is what the Returns & refunds topic is about
    expect(out).not.toContain('refund');
  });
});

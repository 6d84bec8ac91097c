import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Topic } from '../../shared/site.ts';
import { DEMO_TOPICS } from './test-fixtures.ts';
import { createTopicMatcher } from './topic-matcher.ts';

describe('topic matcher', () => {
  const shop = createTopicMatcher(DEMO_TOPICS);

  it('assigns shop feedback to the demo taxonomy', () => {
    expect(shop.match('I was charged twice for one order')[0]?.name).toBe('Payment & billing');
    expect(shop.match('the parcel is two weeks late')[0]?.name).toBe('Delivery');
    expect(shop.match('how do I send this back and get my money back')[0]?.name).toBe('Returns & refunds');
    expect(shop.match('the jeans run small, I need a bigger size')[0]?.name).toBe('Sizing & fit');
  });

  it('names no topic for text unlike any example', () => {
    expect(shop.match('zzz qqq')).toEqual([]);
    expect(shop.match('')).toEqual([]);
  });

  it('scores are vote shares in [0, 1], best first, discounted for loose matches', () => {
    const scores = shop.match('my refund for the broken item has not arrived').map((t) => t.score);
    expect(scores.length).toBeGreaterThan(0);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(scores.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-9);
    // one shared word with an example ("back" in "back in stock") is weak evidence
    expect(shop.match('Please call me back on +1 415 555 0134.')[0]?.score ?? 0).toBeLessThan(0.3);
  });

  it('reaches 0.8 top-1 on held-out banking77 queries when 25 intents are defined by examples', () => {
    const rows = parse(readFileSync(resolve(import.meta.dirname, '../../bench/data/banking77_train.csv'), 'utf8'), { columns: true }) as { text: string; category: string }[];
    const byIntent = new Map<string, string[]>();
    for (const r of rows) byIntent.set(r.category, [...(byIntent.get(r.category) ?? []), r.text]);
    const topics: Topic[] = [];
    const heldOut: { text: string; intent: string }[] = [];
    for (const [intent, texts] of [...byIntent].slice(0, 25)) {
      topics.push({ name: intent, description: '', examples: texts.filter((_, i) => i % 5 !== 0) });
      for (const text of texts.filter((_, i) => i % 5 === 0)) heldOut.push({ text, intent });
    }
    const m = createTopicMatcher(topics);
    const correct = heldOut.filter((q) => m.match(q.text)[0]?.name === q.intent).length;
    expect(correct / heldOut.length).toBeGreaterThanOrEqual(0.8);
  });
});

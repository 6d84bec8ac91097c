import { describe, expect, it } from 'vitest';
import { conceptsOf, createConceptScorer } from './topic-concepts.ts';
import { DEMO_TOPICS } from './test-fixtures.ts';

describe('concept route to topics', () => {
  const score = createConceptScorer(DEMO_TOPICS);

  it('finds customer-service concepts in short or unusual wording', () => {
    expect(conceptsOf('do you ship to canada?')).toEqual(['delivery']);
    expect(conceptsOf('the zip broke')).toContain('defect');
    expect(conceptsOf('constructor __proto__')).toEqual([]);
  });

  it('votes for the topics whose own definitions use the concept most', () => {
    expect(score('do you ship to canada?')[0]?.name).toBe('Delivery');
    expect(score('the zip broke the second time I wore it')[0]?.name).toBe('Product quality');
    expect(score('my card got declined')[0]?.name).toBe('Payment & billing');
  });

  it('works from any English taxonomy, not a fixed list', () => {
    const custom = createConceptScorer([
      { name: 'Shipping', description: 'parcels and couriers', examples: ['late parcel'] },
      { name: 'Money', description: 'refunds and prices', examples: ['refund please'] },
    ]);
    expect(custom('where is my package, the courier is late')[0]?.name).toBe('Shipping');
    expect(custom('I want a refund')[0]?.name).toBe('Money');
  });
});

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scoreSentiment } from './sentiment.ts';

const DATA = resolve(import.meta.dirname, '../../bench/data');

describe('offline sentiment', () => {
  it('reads negation and contrast', () => {
    expect(scoreSentiment('The food was good.').label).toBe('positive');
    expect(scoreSentiment('The food was not good at all.').label).toBe('negative');
    expect(scoreSentiment('Great location but terrible service.').label).toBe('negative');
    expect(scoreSentiment('The price is high but the quality is excellent.').label).toBe('positive');
  });

  it('calls text without any opinion neutral rather than guessing', () => {
    expect(scoreSentiment('hello')).toEqual({ label: 'neutral', score: 0 });
    expect(scoreSentiment('7')).toEqual({ label: 'neutral', score: 0 });
  });

  it('calls plain support requests neutral, not negative', () => {
    for (const t of ['My order #1234', 'Where is my parcel?', 'Do you ship to Canada?', 'What are your opening hours?']) {
      expect(scoreSentiment(t).label, t).toBe('neutral');
    }
  });

  it('catches complaints that carry no opinion words', () => {
    expect(scoreSentiment('We waited 40 minutes and the order was wrong.').label).toBe('negative');
  });

  it('keeps scores in [-1, 1]', () => {
    for (const t of ['BEST. SHOP. EVER!!! Absolutely amazing, wonderful, perfect!', 'Horrible, disgusting, the worst scam ever, I hate it']) {
      const { score } = scoreSentiment(t);
      expect(Math.abs(score)).toBeLessThanOrEqual(1);
    }
  });

  it('is at least 0.83 accurate on the Yelp sentences it was not trained on', () => {
    const lines = readFileSync(resolve(DATA, 'yelp_labelled.txt'), 'utf8').trim().split('\n');
    let correct = 0;
    for (const line of lines) {
      const tab = line.lastIndexOf('\t');
      const positive = scoreSentiment(line.slice(0, tab)).score > 0;
      if (positive === (line.slice(tab + 1).trim() === '1')) correct++;
    }
    expect(correct / lines.length).toBeGreaterThanOrEqual(0.83);
  });
});

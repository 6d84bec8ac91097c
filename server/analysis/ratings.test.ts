import { describe, expect, it } from 'vitest';
import { answeredRatings, inferRating, npsCategory } from './ratings.ts';

const inferred = (...messages: string[]) => inferRating(messages, 0, false);

describe('ratings written in free text', () => {
  it('takes a score the customer gives the business, in four languages', () => {
    expect(inferred("I'd give you guys a 4 out of 10.")).toMatchObject({ type: 'nps', value: 4, inferred: true });
    expect(inferred('Ich gebe euch 8 von 10.')).toMatchObject({ type: 'nps', value: 8 });
    expect(inferred('Je vous donne 9/10 !')).toMatchObject({ type: 'nps', value: 9 });
    expect(inferred('Le doy un 7 de 10.')).toMatchObject({ type: 'nps', value: 7 });
    expect(inferred('8/10')).toMatchObject({ type: 'nps', value: 8 });
    expect(inferred('I would rate this shop 4 stars')).toMatchObject({ type: 'stars', value: 4 });
  });

  it('does not turn a stray "N/10" into an NPS rating', () => {
    expect(inferred('The packaging was a 3/10 tbh, but the mug is gorgeous.')).toBeNull();
    expect(inferred('Honestly 3/10, the app keeps crashing')).toBeNull();
    expect(inferred('Ordered 3 of 10 items, the rest is backordered.')).toBeNull();
    expect(inferred('Mein Sohn ist 9/10 Tagen in der Schule.')).toBeNull();
    expect(inferred('I give it 2 days before it breaks, the delivery was 5/5 though.')).toBeNull();
  });

  it('falls back to a low-confidence CSAT from sentiment only when there is an opinion', () => {
    expect(inferRating(['great shop'], 0.8, true)).toMatchObject({ type: 'csat', value: 5, inferred: true });
    expect(inferRating(['ok'], 0, false)).toBeNull();
  });

  it('answered ratings use the question scale, looked up as own properties only', () => {
    const answers = [{ questionId: 'constructor', type: 'stars' as const, value: 4, raw: '4', elaborations: [], answeredAt: 1 }];
    expect(answeredRatings(answers, {})).toEqual([expect.objectContaining({ scaleMin: 1, scaleMax: 5 })]);
    expect(npsCategory([{ questionId: null, type: 'nps', value: 6, scaleMin: 0, scaleMax: 10, inferred: true, confidence: 0.8 }])).toBe('detractor');
  });
});

import { describe, expect, it } from 'vitest';
import type { Reading } from './answer-parsing.ts';
import { reconcile } from './reading-reconcile.ts';

const sure = (value: number): Reading => ({ kind: 'value', value, confident: true });
const unsure = (value: number): Reading => ({ kind: 'value', value, confident: false, why: 'hedge' });
const unclear: Reading = { kind: 'unclear', why: 'none' };
const model = (reading: Reading, confidence = 0.9) => ({ reading, confidence });

describe('reconciling the model’s reading with the offline one', () => {
  it('keeps the offline reading when the model failed', () => {
    expect(reconcile(sure(7), null)).toEqual(sure(7));
    expect(reconcile(unclear, null)).toEqual(unclear);
  });
  it('stores a confident model reading where the rules could not read one', () => {
    expect(reconcile(unclear, model(sure(9)))).toEqual(sure(9));
    expect(reconcile(unsure(6), model(sure(8)))).toEqual(sure(8));
  });
  it('asks back when both are sure of different values', () => {
    expect(reconcile(sure(9), model(sure(4)))).toEqual({ kind: 'unclear', why: 'disagree' });
    expect(reconcile({ kind: 'value', value: ['a', 'b'], confident: true }, model({ kind: 'value', value: ['b'], confident: true }))).toEqual({
      kind: 'unclear',
      why: 'disagree',
    });
  });
  it('takes agreement, in any order of choices', () => {
    expect(reconcile(sure(9), model(sure(9)))).toEqual(sure(9));
    expect(reconcile({ kind: 'value', value: ['a', 'b'], confident: true }, model({ kind: 'value', value: ['b', 'a'], confident: true }))).toMatchObject({
      confident: true,
    });
  });
  it('offers an unsure model reading for confirmation', () => {
    expect(reconcile(unclear, model(sure(7), 0.5))).toEqual({ kind: 'value', value: 7, confident: false, why: 'hedge' });
  });
  it('an unsure model agreeing with a sure offline reading is two readers agreeing', () => {
    expect(reconcile(sure(7), model(sure(7), 0.5))).toEqual(sure(7));
  });
  it('asks back when the model sees no answer, or a skip, where the rules were sure', () => {
    expect(reconcile(sure(7), model({ kind: 'unclear' }))).toEqual({ kind: 'unclear', why: 'disagree' });
    expect(reconcile(sure(7), model({ kind: 'skip' }))).toEqual({ kind: 'unclear', why: 'disagree' });
    expect(reconcile(unclear, model({ kind: 'skip' }))).toEqual({ kind: 'skip' });
    expect(reconcile(unsure(5), model({ kind: 'unclear' }))).toEqual(unsure(5));
  });
});

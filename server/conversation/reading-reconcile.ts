/**
 * Deciding between the model's reading of a typed answer and the offline reader's. The model reads
 * every free-text answer when one is configured; the offline reading is the fallback when it fails.
 * Two confident readings that differ, or a model that is not sure, ask the visitor back: a value is
 * stored only when nothing contradicts it.
 */
import type { AnswerValue } from '../../shared/flow.ts';
import type { Reading } from './answer-parsing.ts';

export interface ModelReading {
  reading: Reading;
  /** the model's own confidence in its reading, 0..1 */
  confidence: number;
}

/** below this the model's value is only offered for confirmation */
export const MODEL_CONFIDENCE = 0.75;

function same(a: AnswerValue, b: AnswerValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x) => b.includes(x));
  return a === b;
}

export function reconcile(offline: Reading, model: ModelReading | null): Reading {
  if (!model) return offline;
  const m = model.reading;
  const offlineSure = offline.kind === 'value' && offline.confident;
  if (m.kind !== 'value') {
    // the model sees no answer (or a wish to skip/stop) where the rules were sure of one: ask
    if (offlineSure) return { kind: 'unclear', why: 'disagree' };
    return m.kind === 'unclear' ? (offline.kind === 'value' ? offline : { kind: 'unclear', why: offline.kind === 'unclear' ? (offline.why ?? 'none') : 'none' }) : m;
  }
  if (offlineSure && !same(offline.value, m.value)) return { kind: 'unclear', why: 'disagree' };
  if (model.confidence < MODEL_CONFIDENCE) {
    // an unsure model agreeing with a sure offline reading is two readers agreeing
    if (offlineSure) return offline;
    return { kind: 'value', value: m.value, confident: false, why: 'hedge' };
  }
  return { kind: 'value', value: m.value, confident: true };
}

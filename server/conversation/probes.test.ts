import { describe, expect, it } from 'vitest';
import { Question, type Answer } from '../../shared/flow.ts';
import { probeReason, textProbeReason } from './probes.ts';

const answer = (value: Answer['value'], raw: string, elaborations: string[] = []): Answer => ({ questionId: 'q', type: 'text', value, raw, elaborations, answeredAt: 0 });

describe('probes', () => {
  it.each([
    ['fine', 'vague'],
    ["it's ok", 'vague'],
    ['idk', 'vague'],
    ['the delivery was awful and late', 'negative'],
    ['Prices', 'short'],
    ['The checkout flow asks for my address twice.', null],
  ])('"%s" -> %s', (text, reason) => {
    expect(textProbeReason(text)).toBe(reason);
  });

  it('asks at most max probes, only for the reasons the flow allows', () => {
    const q = Question.parse({ id: 'q', type: 'text', prompt: 'Why?', probe: { max: 1, when: ['negative'] } });
    expect(probeReason(q, answer('fine', 'fine'), 0)).toBeNull();
    expect(probeReason(q, answer('terrible service', 'terrible service'), 0)).toBe('negative');
    expect(probeReason(q, answer('terrible service', 'terrible service', ['awful']), 1)).toBeNull();
  });

  it('a low rating counts as negative; a high one does not', () => {
    const q = Question.parse({ id: 'q', type: 'nps', prompt: 'Recommend?', probe: { max: 1 } });
    expect(probeReason(q, answer(4, '4'), 0)).toBe('negative');
    expect(probeReason(q, answer(9, '9'), 0)).toBeNull();
  });

  it('never probes a question without a probe or a skipped answer', () => {
    const plain = Question.parse({ id: 'q', type: 'text', prompt: 'Why?' });
    expect(probeReason(plain, answer('bad', 'bad'), 0)).toBeNull();
    const probed = Question.parse({ id: 'q', type: 'text', prompt: 'Why?', probe: {} });
    expect(probeReason(probed, answer(null, 'skip'), 0)).toBeNull();
  });
});

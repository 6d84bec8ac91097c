/**
 * Test helper: a tiny offline engine (greeting, NPS 0-10 with quick replies, one free-text
 * question, thanks) so the service and adapter tests do not depend on the real engine.
 */
import type { SurveyFlow } from '../../shared/flow.ts';
import type { Engine, TurnInput, TurnResult } from './engine-types.ts';

export const TEST_FLOW: SurveyFlow = {
  id: 'nps',
  kind: 'survey',
  name: 'NPS',
  intro: 'Hi! Two quick questions.',
  questions: [
    { id: 'score', type: 'nps', prompt: 'How likely are you to recommend us?', optional: false, when: [] },
    { id: 'why', type: 'text', prompt: 'What is the main reason for your score?', optional: false, when: [] },
  ],
  outro: 'Thanks for your feedback!',
};

const scale = { options: Array.from({ length: 11 }, (_, i) => ({ label: String(i), value: String(i) })), multiple: false, skippable: false };

export interface FakeEngineOptions {
  /** awaited inside every turn (lets a test hold a turn open) */
  gate?: () => Promise<void>;
  /** throw when the visitor's text contains this */
  failOn?: string;
  /** never answer when the visitor's text contains this */
  hangOn?: string;
  /** return an answer the store refuses when the visitor's text contains this */
  badAnswerOn?: string;
  /** say nothing and keep the state when the visitor's text contains this */
  quietOn?: string;
  /** say nothing but move the state on ({ step: 5 }) when the visitor's text contains this */
  quietMoveOn?: string;
}

export function createFakeEngine(opts: FakeEngineOptions = {}) {
  let running = 0;
  const stats = { turns: 0, maxConcurrent: 0 };

  async function turn(fn: () => TurnResult, text = ''): Promise<TurnResult> {
    running++;
    stats.maxConcurrent = Math.max(stats.maxConcurrent, running);
    try {
      if (opts.hangOn && text.includes(opts.hangOn)) await new Promise(() => undefined);
      await opts.gate?.();
      stats.turns++;
      return fn();
    } finally {
      running--;
    }
  }

  const step = (input: TurnInput): number => {
    const s = input.state as { step?: unknown } | null;
    return typeof s?.step === 'number' ? s.step : 0;
  };

  const engine: Engine = {
    start: (input) =>
      turn(() => {
        input.onDelta?.('d1', 'Hi! ');
        return {
          replies: [
            { text: 'Hi! Two quick questions.', reply: null, draftId: 'd1' },
            { text: 'How likely are you to recommend us?', reply: scale },
          ],
          state: { step: 0 },
          answers: [],
          completed: false,
          needsHuman: false,
        };
      }),
    reply: (input, visitor) =>
      turn(() => {
        if (opts.failOn && visitor.text.includes(opts.failOn)) throw new Error('engine exploded');
        if (opts.quietOn && visitor.text.includes(opts.quietOn)) return { replies: [], state: input.state, answers: [], completed: false, needsHuman: false };
        if (opts.quietMoveOn && visitor.text.includes(opts.quietMoveOn)) return { replies: [], state: { step: 5 }, answers: [], completed: false, needsHuman: false };
        if (opts.badAnswerOn && visitor.text.includes(opts.badAnswerOn)) {
          // answeredAt must be an integer: the store refuses this answer
          const answers = [{ questionId: 'score', type: 'nps', value: 5, raw: '5', elaborations: [], answeredAt: 1.5 }];
          return { replies: [{ text: 'stored?', reply: null }], state: { step: 9 }, answers, completed: false, needsHuman: false };
        }
        const base = { answers: [], completed: false, needsHuman: /human|person/i.test(visitor.text) };
        if (step(input) === 0) {
          const raw = typeof visitor.value === 'string' ? visitor.value : visitor.text;
          const n = Number(raw.match(/\d+/)?.[0] ?? NaN);
          if (!(n >= 0 && n <= 10)) return { ...base, replies: [{ text: 'Please pick a number from 0 to 10.', reply: scale }], state: { step: 0 } };
          return {
            ...base,
            replies: [{ text: 'What is the main reason for your score?', reply: null }],
            state: { step: 1 },
            answers: [{ questionId: 'score', type: 'nps', value: n, raw: visitor.text, elaborations: [], answeredAt: Date.now() }],
          };
        }
        return {
          ...base,
          replies: [{ text: 'Thanks for your feedback!', reply: null }],
          state: { step: 2 },
          answers: [{ questionId: 'why', type: 'text', value: visitor.text, raw: visitor.text, elaborations: [], answeredAt: Date.now() }],
          completed: true,
        };
      }, visitor.text),
  };
  return { engine, stats };
}

/**
 * The engine's own state, stored by the service as opaque JSON and validated here when it comes
 * back. Questions are referenced by id, not index, so a flow edited mid-conversation still resolves.
 */
import { z } from 'zod';
import { AnswerValue } from '../../shared/flow.ts';

export const SurveyState = z.object({
  kind: z.literal('survey'),
  /** the question being asked; null before the first and after the last */
  current: z.string().nullable(),
  /** answer: waiting for an answer; confirm: checking an unsure reading; probe: waiting for an elaboration */
  mode: z.enum(['answer', 'confirm', 'probe']),
  probes: z.number().int().min(0),
  /** unclear replies in a row to the current question */
  misses: z.number().int().min(0),
  candidate: AnswerValue.optional(),
  candidateRaw: z.string().optional(),
  done: z.boolean(),
  /** bot turns so far; varies the offline wording */
  turn: z.number().int().min(0),
});
export type SurveyState = z.infer<typeof SurveyState>;

export const SupportState = z.object({
  kind: z.literal('support'),
  /** chat: answering; offer: asked whether to bring in a person; rating: asked for CSAT */
  phase: z.enum(['chat', 'offer', 'rating', 'done']),
  handedOff: z.boolean(),
  /** questions the knowledge base could not answer */
  misses: z.number().int().min(0),
  turn: z.number().int().min(0),
  /** the last question searched and the entry that answered it, for follow-ups ("and to Canada?") */
  memory: z.object({ question: z.string().max(2000), entryId: z.string().nullable() }).nullable().optional(),
  /** how the last question went: a "great, thanks" after a miss does not mean it was solved */
  lastOutcome: z.enum(['answered', 'declined']).nullable().optional(),
});
export type SupportState = z.infer<typeof SupportState>;

export const EngineState = z.discriminatedUnion('kind', [SurveyState, SupportState]);
export type EngineState = z.infer<typeof EngineState>;

export const newSurveyState = (): SurveyState => ({ kind: 'survey', current: null, mode: 'answer', probes: 0, misses: 0, done: false, turn: 0 });
export const newSupportState = (): SupportState => ({ kind: 'support', phase: 'chat', handedOff: false, misses: 0, turn: 0 });

/** The stored state if it is valid; null for a new conversation or state this engine cannot read. */
export function readState(raw: unknown): EngineState | null {
  const parsed = EngineState.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

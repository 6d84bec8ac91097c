import { z } from 'zod';

/** A branch condition on an earlier answer. */
export const Condition = z.object({
  question: z.string().min(1),
  op: z.enum(['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'answered', 'skipped']),
  value: z.union([z.number(), z.string(), z.boolean(), z.array(z.union([z.string(), z.number()]))]).optional(),
});
export type Condition = z.infer<typeof Condition>;

/** Ask the visitor to elaborate when a free-text answer is vague, short or negative. */
export const Probe = z.object({
  max: z.number().int().min(0).max(5).default(1),
  when: z.array(z.enum(['vague', 'short', 'negative'])).default(['vague', 'short', 'negative']),
  /** fixed wording for the offline provider; the LLM writes its own */
  prompt: z.string().min(1).optional(),
});
export type Probe = z.infer<typeof Probe>;

export const Choice = z.object({
  value: z.string().min(1),
  label: z.string().min(1),
  /** extra words that map free text onto this choice */
  synonyms: z.array(z.string()).default([]),
});
export type Choice = z.infer<typeof Choice>;

const base = {
  id: z.string().regex(/^[a-z0-9_-]{1,64}$/i, 'ids are letters, digits, _ and -'),
  prompt: z.string().min(1).max(1000),
  optional: z.boolean().default(false),
  /** ask only when all conditions hold */
  when: z.array(Condition).default([]),
  probe: Probe.optional(),
};

export const Question = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('nps'), lowLabel: z.string().optional(), highLabel: z.string().optional() }),
  z.object({ ...base, type: z.literal('csat') }),
  z.object({ ...base, type: z.literal('ces') }),
  z.object({ ...base, type: z.literal('stars'), max: z.number().int().min(3).max(10).default(5) }),
  z.object({ ...base, type: z.literal('single'), choices: z.array(Choice).min(2).max(20) }),
  z.object({
    ...base,
    type: z.literal('multiple'),
    choices: z.array(Choice).min(2).max(20),
    min: z.number().int().min(0).default(1),
    max: z.number().int().min(1).optional(),
  }),
  z.object({ ...base, type: z.literal('yes_no') }),
  z.object({ ...base, type: z.literal('text'), placeholder: z.string().optional() }),
]);
export type Question = z.infer<typeof Question>;
export type QuestionType = Question['type'];

/** Scales of the rating question types: [min, max]. Stars use the question's `max`. */
export const RATING_SCALES = { nps: [0, 10], csat: [1, 5], ces: [1, 7] } as const;

export const SurveyFlow = z.object({
  id: z.string().regex(/^[a-z0-9_-]{1,64}$/i),
  kind: z.literal('survey'),
  name: z.string().min(1),
  intro: z.string().optional(),
  questions: z.array(Question).min(1),
  outro: z.string().min(1),
});
export type SurveyFlow = z.infer<typeof SurveyFlow>;

export const SupportFlow = z.object({
  id: z.string().regex(/^[a-z0-9_-]{1,64}$/i),
  kind: z.literal('support'),
  name: z.string().min(1),
  intro: z.string().min(1),
  /** offer a person when the knowledge base has no answer or the visitor asks */
  handoff: z.object({ enabled: z.boolean().default(true) }).default({ enabled: true }),
  /** asked before the conversation closes */
  rating: z.object({ prompt: z.string().min(1) }).default({ prompt: 'How satisfied are you with the help you got?' }),
});
export type SupportFlow = z.infer<typeof SupportFlow>;

export const Flow = z.discriminatedUnion('kind', [SurveyFlow, SupportFlow]);
export type Flow = z.infer<typeof Flow>;

/** A typed answer: a number for scales, a choice value, several values, yes/no, text; null when skipped. */
export const AnswerValue = z.union([z.number(), z.string(), z.array(z.string()), z.boolean(), z.null()]);
export type AnswerValue = z.infer<typeof AnswerValue>;

export const Answer = z.object({
  questionId: z.string(),
  type: z.string(),
  value: AnswerValue,
  /** what the visitor typed or clicked, verbatim */
  raw: z.string(),
  /** visitor replies to probes on this question */
  elaborations: z.array(z.string()).default([]),
  answeredAt: z.number().int(),
});
export type Answer = z.infer<typeof Answer>;

/** A knowledge-base entry (FAQ or markdown article). */
export const KbEntry = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  body: z.string().min(1),
  tags: z.array(z.string()).default([]),
});
export type KbEntry = z.infer<typeof KbEntry>;

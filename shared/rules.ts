/**
 * Routing and escalation rules: per site, run in order after every extraction. A rule's
 * conditions look at the extraction and the conversation, combined with all/any; its actions
 * route (team, agent, priority, tags, follow-up) and notify (webhook, e-mail, automated reply).
 */
import { z } from 'zod';
import { Expectation, NpsCategory, SentimentLabel, Urgency } from './extraction.ts';

const shortText = (max: number) => z.string().trim().min(1, 'required').max(max);
const nonEmptyList = <T extends z.ZodType>(item: T, max = 50) => z.array(item).min(1, 'pick at least one').max(max);
const score = z.number().min(-1, 'from -1').max(1, 'to 1');

export const RatingKind = z.enum(['any', 'nps', 'csat', 'ces', 'stars']);
export type RatingKind = z.infer<typeof RatingKind>;

/** the extraction's own expectation kinds (one list, in shared/extraction.ts) */
export const ExpectationKind = Expectation.shape.kind;

export const RuleCondition = z.discriminatedUnion('type', [
  z
    .object({ type: z.literal('rating'), ratingType: RatingKind.default('any'), min: z.number().min(0).max(10).optional(), max: z.number().min(0).max(10).optional() })
    .refine((c) => c.min !== undefined || c.max !== undefined, { message: 'give a minimum or a maximum', path: ['min'] })
    .refine((c) => c.min === undefined || c.max === undefined || c.min <= c.max, { message: 'the minimum is above the maximum', path: ['max'] }),
  z.object({ type: z.literal('nps'), categories: nonEmptyList(NpsCategory, 3) }),
  z
    .object({ type: z.literal('sentiment'), labels: z.array(SentimentLabel).max(3).default([]), min: score.optional(), max: score.optional() })
    .refine((c) => c.labels.length > 0 || c.min !== undefined || c.max !== undefined, { message: 'pick a label or a score range', path: ['labels'] })
    .refine((c) => c.min === undefined || c.max === undefined || c.min <= c.max, { message: 'the minimum is above the maximum', path: ['max'] }),
  z.object({ type: z.literal('topic'), topics: nonEmptyList(shortText(80)) }),
  z.object({ type: z.literal('expectation_unmet'), kinds: z.array(ExpectationKind).max(ExpectationKind.options.length).default([]) }),
  z.object({ type: z.literal('follow_up_needed'), value: z.boolean().default(true) }),
  z.object({ type: z.literal('urgency_at_least'), level: Urgency }),
  z.object({ type: z.literal('keywords'), words: nonEmptyList(shortText(80)) }),
  z.object({ type: z.literal('language'), languages: nonEmptyList(z.string().trim().regex(/^[a-z]{2,3}$/i, 'a language code such as en or de')) }),
  z.object({ type: z.literal('flow'), flowIds: nonEmptyList(shortText(64)) }),
  z.object({ type: z.literal('source'), sources: nonEmptyList(shortText(32)) }),
  z.object({ type: z.literal('verified_visitor'), value: z.boolean().default(true) }),
]);
export type RuleCondition = z.infer<typeof RuleCondition>;
export type RuleConditionType = RuleCondition['type'];

export const Priority = z.enum(['low', 'normal', 'high', 'urgent']);
export type Priority = z.infer<typeof Priority>;

export const RuleAction = z.discriminatedUnion('type', [
  z
    .object({ type: z.literal('assign'), teamId: z.string().min(1).max(64).optional(), agentId: z.string().min(1).max(64).optional() })
    .refine((a) => a.teamId !== undefined || a.agentId !== undefined, { message: 'pick a team or an agent', path: ['teamId'] }),
  z.object({ type: z.literal('set_priority'), priority: Priority }),
  z.object({ type: z.literal('add_tags'), tags: nonEmptyList(z.string().trim().min(1, 'required').max(50).transform((t) => t.toLowerCase()), 30) }),
  z.object({ type: z.literal('notify_webhook'), endpointId: z.string().min(1, 'pick an endpoint').max(64) }),
  z.object({ type: z.literal('notify_email'), to: z.email('a valid e-mail address').max(320) }),
  z.object({ type: z.literal('send_reply'), text: shortText(2000) }),
  z.object({ type: z.literal('open_follow_up'), dueInHours: z.number().positive('more than 0 hours').max(24 * 90, 'at most 90 days'), urgency: Urgency.optional() }),
]);
export type RuleAction = z.infer<typeof RuleAction>;
export type RuleActionType = RuleAction['type'];

/** POST /api/admin/sites/:id/rules and PUT /api/admin/rules/:id */
export const RuleInput = z.object({
  name: shortText(120),
  enabled: z.boolean().default(true),
  match: z.enum(['all', 'any']).default('all'),
  conditions: z.array(RuleCondition).min(1, 'add at least one condition').max(20),
  actions: z.array(RuleAction).min(1, 'add at least one action').max(20),
});
export type RuleInput = z.infer<typeof RuleInput>;

export interface Rule extends RuleInput {
  id: string;
  siteId: string;
  position: number;
  createdAt: number;
  updatedAt: number;
}

/** POST /api/admin/rules/:id/move */
export const RuleMoveBody = z.object({ direction: z.enum(['up', 'down']) });
export type RuleMoveBody = z.input<typeof RuleMoveBody>;

/** A rule that matched an extraction: why, and what it did (GET /api/admin/conversations/:id/rules). */
export interface RuleFiring {
  id: number;
  ruleId: string;
  ruleName: string;
  conversationId: string;
  reasons: string[];
  actions: string[];
  firedAt: number;
}

import { z } from 'zod';
import { WIDGET_LANGS } from './widget-i18n/langs.ts';

export const SentimentLabel = z.enum(['positive', 'neutral', 'negative']);
export type SentimentLabel = z.infer<typeof SentimentLabel>;

export const NpsCategory = z.enum(['promoter', 'passive', 'detractor']);
export type NpsCategory = z.infer<typeof NpsCategory>;

/** the widget's four languages, the ones extraction reads */
export const ConversationLanguage = z.enum(WIDGET_LANGS);
export type ConversationLanguage = z.infer<typeof ConversationLanguage>;

export const Urgency = z.enum(['low', 'medium', 'high', 'critical']);
export type Urgency = z.infer<typeof Urgency>;

export const Rating = z.object({
  /** the survey question, or null when inferred from free text */
  questionId: z.string().nullable(),
  type: z.enum(['nps', 'csat', 'ces', 'stars']),
  value: z.number(),
  scaleMin: z.number(),
  scaleMax: z.number(),
  inferred: z.boolean(),
  /** 1 for an answered question; lower for an inferred rating */
  confidence: z.number().min(0).max(1),
});
export type Rating = z.infer<typeof Rating>;

export const Expectation = z.object({
  /** refund: a promised or expected refund/replacement (added after the first five; keep order) */
  kind: z.enum(['delivery', 'feature', 'price', 'response_time', 'quality', 'other', 'refund']),
  text: z.string(),
  status: z.enum(['met', 'unmet', 'unknown']),
});
export type Expectation = z.infer<typeof Expectation>;

export const FollowUp = z.object({
  needed: z.boolean(),
  reason: z.string().nullable(),
  urgency: Urgency.nullable(),
  contact: z.object({ email: z.string().nullable(), phone: z.string().nullable() }),
});
export type FollowUp = z.infer<typeof FollowUp>;

/** The record extraction writes once per conversation (replaced on re-analysis). */
export const Extraction = z.object({
  conversationId: z.string(),
  extractor: z.enum(['offline', 'llm']),
  /** e.g. "offline@1"; re-running replaces the record */
  extractorVersion: z.string(),
  /** the LLM failed or answered invalidly and the offline result was kept */
  fellBack: z.boolean().default(false),
  ratings: z.array(Rating),
  npsCategory: NpsCategory.nullable(),
  sentiment: z.object({
    label: SentimentLabel,
    score: z.number().min(-1).max(1),
    /** per visitor message, so the admin page can show where a chat turned */
    messages: z.array(z.object({ messageId: z.number().int(), score: z.number().min(-1).max(1) })),
  }),
  topics: z.array(z.object({ name: z.string(), score: z.number().min(0).max(1) })),
  /** emergent key phrases that fit no listed topic */
  keyPhrases: z.array(z.string()),
  summary: z.string(),
  expectations: z.array(Expectation),
  followUp: FollowUp,
  createdAt: z.number().int(),
  /** the conversation's language (visitor messages): en, de, fr or es; null when it could not be told */
  language: ConversationLanguage.nullable().optional(),
  /** the language the summary is written in (offline: the conversation's; else English) */
  summaryLanguage: ConversationLanguage.optional(),
});
export type Extraction = z.infer<typeof Extraction>;

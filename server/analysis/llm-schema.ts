/**
 * The part of an Extraction the LLM writes (structured output). Facts the server already knows —
 * answered ratings, per-message scores, the language — are not asked for; contact details the
 * model returns are checked against the transcript (llm-extractor.ts).
 */
import { z } from 'zod';
import { Expectation, FollowUp, NpsCategory, Rating, SentimentLabel } from '../../shared/extraction.ts';

export const LlmExtraction = z.object({
  inferredRating: Rating.pick({ type: true, value: true, scaleMin: true, scaleMax: true, confidence: true }).nullable(),
  npsCategory: NpsCategory.nullable(),
  sentiment: z.object({ label: SentimentLabel, score: z.number().min(-1).max(1) }),
  topics: z.array(z.object({ name: z.string(), score: z.number().min(0).max(1) })),
  keyPhrases: z.array(z.string()),
  /** non-empty, checked after parsing (minLength is not a strict-mode keyword) */
  summary: z.string(),
  expectations: z.array(Expectation),
  followUp: FollowUp,
});
export type LlmExtraction = z.infer<typeof LlmExtraction>;

/** JSON schema for the response format (strict: every field required, no extra fields). */
export function llmExtractionJsonSchema(): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(LlmExtraction, { io: 'output' });
  return schema;
}

/**
 * Feedback from outside the widget (issue 9): the machine API `/api/v1/feedback`, CSV/JSON
 * imports, RSS/Atom feeds and the generic inbound webhook. An item is stored as a conversation
 * (source = its channel) with one visitor message, so lists, search, export and extraction treat
 * it like any conversation.
 */
import { z } from 'zod';
import { Extraction } from './extraction.ts';

export const INGEST_LIMITS = {
  /** items per POST /api/v1/feedback */
  BATCH_MAX_ITEMS: 1000,
  /** characters of one item's text */
  TEXT_MAX_CHARS: 10_000,
  /** bytes of one POST /api/v1/feedback body */
  BATCH_MAX_BYTES: 5 * 1024 * 1024,
  /** bytes of one item's metadata as JSON */
  METADATA_MAX_BYTES: 8 * 1024,
  /** bytes of one uploaded CSV/JSON file */
  UPLOAD_MAX_BYTES: 20 * 1024 * 1024,
  /** bytes of one inbound webhook body */
  WEBHOOK_MAX_BYTES: 256 * 1024,
  /** failed rows kept in an import's report */
  IMPORT_ERRORS_KEPT: 500,
} as const;

/** how an item came in; stored as the conversation's `source` */
export const FeedbackChannel = z.enum(['api', 'import', 'feed', 'webhook']);
export type FeedbackChannel = z.infer<typeof FeedbackChannel>;

export const FeedbackRatingType = z.enum(['stars', 'nps', 'csat', 'ces']);
export type FeedbackRatingType = z.infer<typeof FeedbackRatingType>;

/** the scale of each rating type (stars are 1-5) */
export const FEEDBACK_RATING_SCALES: Record<FeedbackRatingType, readonly [number, number]> = {
  stars: [1, 5],
  nps: [0, 10],
  csat: [1, 5],
  ces: [1, 7],
};

/** a source label: the platform the feedback came from, e.g. "app-store", "trustpilot" */
export const SourceLabel = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[\w.:-]+$/, 'letters, digits and . _ : - only');

/** ISO 8601 date-time (with offset or Z) or epoch milliseconds */
export const Instant = z.union([
  z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
  z.iso.date().transform((s) => Date.parse(`${s}T00:00:00Z`)),
  z.number().int().min(0).max(8_640_000_000_000),
]);

const Metadata = z
  .record(z.string(), z.unknown())
  .refine((m) => JSON.stringify(m).length <= INGEST_LIMITS.METADATA_MAX_BYTES, `metadata is larger than ${INGEST_LIMITS.METADATA_MAX_BYTES} bytes as JSON`);

/** One item of POST /api/v1/feedback. */
export const FeedbackItemInput = z
  .object({
    /** where the customer said it (platform label); default "api" */
    source: SourceLabel.default('api'),
    /** the item's id at its source; (site, source, externalId) is unique: a resend is a duplicate */
    externalId: z.string().trim().min(1).max(200),
    author: z.string().trim().max(200).nullish(),
    /** plain text; HTML is not rendered anywhere */
    text: z.string().trim().min(1, 'text is empty').max(INGEST_LIMITS.TEXT_MAX_CHARS, `text is longer than ${INGEST_LIMITS.TEXT_MAX_CHARS} characters`),
    url: z.url({ protocol: /^https?$/ }).max(2000).nullish(),
    /** when the customer wrote it; default now */
    createdAt: Instant.optional(),
    /** a rating on the scale of ratingType (stars 1-5 by default) */
    rating: z.number().finite().nullish(),
    ratingType: FeedbackRatingType.default('stars'),
    /** BCP 47 language tag, e.g. "de"; detected from the text when absent */
    language: z
      .string()
      .trim()
      .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'a language tag such as "en" or "de-CH"')
      .nullish(),
    metadata: Metadata.optional(),
  })
  .superRefine((item, ctx) => {
    if (item.rating === null || item.rating === undefined) return;
    const [min, max] = FEEDBACK_RATING_SCALES[item.ratingType];
    if (item.rating < min || item.rating > max) ctx.addIssue({ code: 'custom', path: ['rating'], message: `a ${item.ratingType} rating is between ${min} and ${max}` });
  });
export type FeedbackItemInput = z.infer<typeof FeedbackItemInput>;

/** POST /api/v1/feedback body; each item is validated on its own so good items are still taken */
export const FeedbackBatch = z.object({
  items: z.array(z.unknown()).min(1).max(INGEST_LIMITS.BATCH_MAX_ITEMS, `at most ${INGEST_LIMITS.BATCH_MAX_ITEMS} items per request`),
});
export type FeedbackBatch = z.infer<typeof FeedbackBatch>;

export const ItemIssue = z.object({ path: z.string(), message: z.string() });

/** the answer for one item of a batch, in the order sent */
export const FeedbackItemResult = z.discriminatedUnion('status', [
  z.object({ index: z.number().int(), status: z.literal('created'), id: z.string() }),
  z.object({ index: z.number().int(), status: z.literal('duplicate'), id: z.string() }),
  z.object({ index: z.number().int(), status: z.literal('error'), error: z.object({ message: z.string(), issues: z.array(ItemIssue) }) }),
]);
export type FeedbackItemResult = z.infer<typeof FeedbackItemResult>;

export const FeedbackBatchResponse = z.object({
  ok: z.literal(true),
  created: z.number().int(),
  duplicates: z.number().int(),
  errors: z.number().int(),
  results: z.array(FeedbackItemResult),
});
export type FeedbackBatchResponse = z.infer<typeof FeedbackBatchResponse>;

/** An item as GET /api/v1/feedback returns it, with its extraction once analysed. */
export const FeedbackItem = z.object({
  id: z.string(),
  channel: FeedbackChannel,
  source: z.string(),
  externalId: z.string(),
  author: z.string().nullable(),
  text: z.string(),
  url: z.string().nullable(),
  language: z.string().nullable(),
  rating: z.object({ type: FeedbackRatingType, value: z.number() }).nullable(),
  metadata: z.record(z.string(), z.unknown()),
  /** ISO 8601 */
  createdAt: z.string(),
  ingestedAt: z.string(),
  /** pending until the extraction job has run */
  status: z.enum(['pending', 'analysed']),
  extraction: Extraction.nullable(),
});
export type FeedbackItem = z.infer<typeof FeedbackItem>;

export const FeedbackListQuery = z.object({
  /** the item's source label */
  source: SourceLabel.optional(),
  channel: FeedbackChannel.optional(),
  /** ingested at or after: ISO 8601 or epoch ms */
  since: z
    .union([z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)), z.coerce.number().int().min(0)])
    .optional(),
  /** `nextCursor` of the previous page */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type FeedbackListQuery = z.infer<typeof FeedbackListQuery>;

export const FeedbackPage = z.object({ ok: z.literal(true), items: z.array(FeedbackItem), nextCursor: z.string().nullable() });
export type FeedbackPage = z.infer<typeof FeedbackPage>;

// ---------------------------------------------------------------------------------------------
// Admin: imports

/** which column of the file feeds which field; only `text` is required */
export const ColumnMapping = z.object({
  text: z.string().min(1).max(200),
  externalId: z.string().min(1).max(200).optional(),
  author: z.string().min(1).max(200).optional(),
  url: z.string().min(1).max(200).optional(),
  createdAt: z.string().min(1).max(200).optional(),
  rating: z.string().min(1).max(200).optional(),
  language: z.string().min(1).max(200).optional(),
  /** the rating column's scale */
  ratingType: FeedbackRatingType.default('stars'),
  /** the source label every row gets, e.g. "app-store" */
  source: SourceLabel.default('import'),
});
export type ColumnMapping = z.infer<typeof ColumnMapping>;

export const ImportUploadQuery = z.object({ siteId: z.string().min(1).max(64), filename: z.string().trim().min(1).max(200).default('upload') });
export const ImportStartBody = z.object({ mapping: ColumnMapping });
export const ImportListQuery = z.object({ siteId: z.string().min(1).max(64).optional() });

export const ImportRowError = z.object({ line: z.number().int(), reason: z.string() });
export type ImportRowError = z.infer<typeof ImportRowError>;

export const ImportStatus = z.enum(['uploaded', 'queued', 'running', 'done', 'failed']);

export const ImportView = z.object({
  id: z.string(),
  siteId: z.string(),
  filename: z.string(),
  format: z.enum(['csv', 'json']),
  delimiter: z.string().nullable(),
  status: ImportStatus,
  total: z.number().int(),
  processed: z.number().int(),
  created: z.number().int(),
  duplicates: z.number().int(),
  failed: z.number().int(),
  /** rows that failed: CSV line number (1 = header) or JSON record number, and why */
  errors: z.array(ImportRowError),
  lastError: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type ImportView = z.infer<typeof ImportView>;

/** the answer to an upload: what the mapping step shows */
export interface ImportPreview {
  import: ImportView;
  columns: string[];
  /** the first rows, by column */
  rows: Record<string, string>[];
  /** a guess at the mapping from the column names */
  suggested: Partial<ColumnMapping>;
}

// ---------------------------------------------------------------------------------------------
// Admin: feeds

const FeedUrl = z.url({ protocol: /^https?$/ }).max(2000);
const Keywords = z.array(z.string().trim().min(1).max(80)).max(50);

export const FeedCreateBody = z.object({
  siteId: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(120),
  url: FeedUrl,
  /** an item is taken when it mentions any of these (case-insensitive); empty takes all */
  keywords: Keywords.default([]),
  intervalMinutes: z.number().int().min(5).max(1440).default(30),
});
export const FeedUpdateBody = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  url: FeedUrl.optional(),
  keywords: Keywords.optional(),
  intervalMinutes: z.number().int().min(5).max(1440).optional(),
  enabled: z.boolean().optional(),
});
export const FeedListQuery = z.object({ siteId: z.string().min(1).max(64).optional() });

export const FeedView = z.object({
  id: z.string(),
  siteId: z.string(),
  name: z.string(),
  url: z.string(),
  keywords: z.array(z.string()),
  intervalMinutes: z.number().int(),
  enabled: z.boolean(),
  failures: z.number().int(),
  lastPolledAt: z.number().int().nullable(),
  lastSuccessAt: z.number().int().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.number().int().nullable(),
  lastStatus: z.number().int().nullable(),
  nextPollAt: z.number().int().nullable(),
  itemsTotal: z.number().int(),
  createdAt: z.number().int(),
});
export type FeedView = z.infer<typeof FeedView>;

// ---------------------------------------------------------------------------------------------
// Admin: the inbound webhook

/** a dotted path into the posted JSON, e.g. "review.body" or "data.items[0].text" */
export const JsonPath = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^\$?\.?[\w-]+(\[\d+\])*(\.[\w-]+(\[\d+\])*)*$/, 'a dotted path such as review.body or data.items[0].text');

export const WebhookMapping = z.object({
  text: JsonPath,
  author: JsonPath.optional(),
  externalId: JsonPath.optional(),
  url: JsonPath.optional(),
  rating: JsonPath.optional(),
  createdAt: JsonPath.optional(),
  ratingType: FeedbackRatingType.default('stars'),
  source: SourceLabel.default('webhook'),
});
export type WebhookMapping = z.infer<typeof WebhookMapping>;

export const WebhookSaveBody = z.object({
  mapping: WebhookMapping,
  enabled: z.boolean().default(true),
  /** a new secret (the old URL stops working at once) */
  rotateSecret: z.boolean().default(false),
});

export const WebhookView = z.object({
  siteId: z.string(),
  /** path to POST to (secret in the URL); or POST to /api/v1/inbound/<siteKey> with X-Parley-Signature */
  path: z.string(),
  secret: z.string(),
  mapping: WebhookMapping,
  enabled: z.boolean(),
  received: z.number().int(),
  lastError: z.string().nullable(),
  lastAt: z.number().int().nullable(),
});
export type WebhookView = z.infer<typeof WebhookView>;

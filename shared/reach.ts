/**
 * Reaching customers: the e-mail log, reply drafts and sent replies, and the automated follow-up
 * playbooks an owner switches on per site. Bodies and queries of the /api/admin routes for them.
 */
import { z } from 'zod';

export const EmailStatus = z.enum(['queued', 'sent', 'retrying', 'refused', 'failed']);
export type EmailStatus = z.infer<typeof EmailStatus>;

/** One row of the e-mail log (GET /api/admin/emails). */
export const EmailLogEntry = z.object({
  id: z.number().int(),
  siteId: z.string(),
  conversationId: z.string().nullable(),
  to: z.string(),
  subject: z.string(),
  messageId: z.string(),
  status: EmailStatus,
  attempts: z.number().int(),
  /** why it was refused, failed, or is being retried (the SMTP server's words) */
  lastError: z.string().nullable(),
  createdAt: z.number().int(),
  sentAt: z.number().int().nullable(),
});
export type EmailLogEntry = z.infer<typeof EmailLogEntry>;

export const EmailLogQuery = z.object({
  siteId: z.string().max(64).optional(),
  conversationId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type EmailLogQuery = z.infer<typeof EmailLogQuery>;

/** GET /api/admin/emails */
export interface EmailLogResponse {
  /** null when SMTP is set up; else what to set (sends fail with this error until then) */
  smtpProblem: string | null;
  items: EmailLogEntry[];
}

export const ReplyLang = z.enum(['en', 'de', 'fr', 'es']);
export type ReplyLang = z.infer<typeof ReplyLang>;

/** POST /api/admin/conversations/:id/reply-draft */
export const DraftReplyBody = z.object({ lang: ReplyLang.optional() });
export type DraftReplyBody = z.input<typeof DraftReplyBody>;

export interface DraftReplyResponse {
  text: string;
  lang: ReplyLang;
  /** 'llm' when the model wrote it, 'template' offline or when the model failed */
  source: 'llm' | 'template';
  /** where the reply would also go by e-mail; null when no address is known */
  email: string | null;
}

/** POST /api/admin/conversations/:id/replies */
export const SendReplyBody = z.object({
  text: z.string().trim().min(1).max(2000),
  /** the admin page's id for this send: pressing Send twice sends once */
  clientKey: z.string().min(8).max(64),
  emailToo: z.boolean().default(true),
});
export type SendReplyBody = z.input<typeof SendReplyBody>;

export interface SentReply {
  id: number;
  conversationId: string;
  text: string;
  authorName: string;
  delivered: boolean;
  /** the visitor opened the widget since */
  read: boolean;
  email: string | null;
  createdAt: number;
}

/** GET /api/admin/conversations/:id/reach: what was sent to this customer and the playbooks' results */
export interface ConversationReach {
  /** where a reply also goes by e-mail (identify() or the address left in the conversation); null if unknown */
  email: string | null;
  replies: SentReply[];
  emails: EmailLogEntry[];
  playbooks: PlaybookRun[];
  /** the detractor check-in: 'recovered' / 'not_recovered' once answered, else null */
  recovery: 'recovered' | 'not_recovered' | null;
}

export const PlaybookName = z.enum(['thank_promoter', 'resolved', 'recheck_detractor']);
export type PlaybookName = z.infer<typeof PlaybookName>;

export const PlaybookRun = z.object({
  id: z.number().int(),
  playbook: PlaybookName,
  conversationId: z.string(),
  status: z.enum(['scheduled', 'sent', 'answered', 'skipped']),
  runAt: z.number().int(),
  recheckConversationId: z.string().nullable(),
  outcome: z.enum(['recovered', 'not_recovered']).nullable(),
  detail: z.string().nullable(),
});
export type PlaybookRun = z.infer<typeof PlaybookRun>;

const reviewUrl = z.url({ protocol: /^https?$/ }).max(2000);

/** Per-site switches (GET/PUT /api/admin/sites/:id/playbooks). Everything is off until an owner turns it on. */
export const PlaybookSettings = z.object({
  thankPromoters: z.object({
    enabled: z.boolean().default(false),
    /** a public review page to invite promoters to (optional) */
    reviewUrl: reviewUrl.nullable().default(null),
  }).default({ enabled: false, reviewUrl: null }),
  /** tell the customer when their follow-up is marked done */
  resolved: z.object({ enabled: z.boolean().default(false) }).default({ enabled: false }),
  /** ask a detractor again after N days whether things got better */
  recheckDetractors: z.object({
    enabled: z.boolean().default(false),
    afterDays: z.number().int().min(1).max(90).default(7),
  }).default({ enabled: false, afterDays: 7 }),
});
export type PlaybookSettings = z.infer<typeof PlaybookSettings>;
export const PlaybookSettingsBody = PlaybookSettings;
export type PlaybookSettingsBody = z.input<typeof PlaybookSettings>;

/**
 * The admin surface: every /api/admin request body and query (validated by these schemas on the
 * server), what each response carries, and the /admin socket.io namespace.
 *
 * HTTP envelope: success is `{ ok: true, ...body }`, failure `{ ok: false, error: { code, message } }`
 * (codes in errors.ts). Reads need the session cookie; every state change also needs the
 * `x-csrf-token` header with the token from GET /api/admin/session.
 */
import { z } from 'zod';
import type { Ack } from './errors.ts';
import { LIMITS } from './errors.ts';
import type { ConversationView, EndReason } from './conversation.ts';
import { ConversationMode, ConversationStatus } from './conversation.ts';
import type { Extraction } from './extraction.ts';
import { NpsCategory, SentimentLabel } from './extraction.ts';
import type { Answer, Flow } from './flow.ts';
import type { Message } from './message.ts';
import type { CreatedMessage } from './visitor-events.ts';
import { OriginPattern, SiteSettings } from './site.ts';
import { WIDGET_LANGS } from './widget-i18n/langs.ts';
import type { Site } from './site.ts';

// ---------------------------------------------------------------------------------------------
// Accounts and session

export const Role = z.enum(['owner', 'agent']);
export type Role = z.infer<typeof Role>;

const email = z.email().max(320).transform((e) => e.toLowerCase());
const password = z.string().min(8, 'at least 8 characters').max(1024);

export const AdminUser = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: Role,
  disabled: z.boolean(),
  createdAt: z.number().int(),
  lastLoginAt: z.number().int().nullable(),
});
export type AdminUser = z.infer<typeof AdminUser>;

/** POST /api/admin/login (the only route that needs no session and no CSRF token) */
export const LoginBody = z.object({ email, password: z.string().min(1).max(1024) });
export type LoginBody = z.input<typeof LoginBody>;

/** GET /api/admin/session and POST /api/admin/login */
export interface SessionInfo {
  user: AdminUser;
  /** send as header `x-csrf-token` on every POST/PUT/PATCH/DELETE; bound to this session */
  csrfToken: string;
  /** the session ends at this time unless used again (sliding), and never after absoluteExpiresAt */
  expiresAt: number;
  absoluteExpiresAt: number;
}

/**
 * POST /api/admin/setup: the first owner on a fresh install (public, like login). Accepted only
 * while no account exists; same rules as `npm run admin -- create`.
 */
export const SetupBody = z.object({ email, password, name: z.string().trim().min(1).max(200).optional() });
export type SetupBody = z.input<typeof SetupBody>;

/** GET /api/admin/setup (public): whether the page should offer "create the owner account" */
export interface SetupStatus {
  setupRequired: boolean;
}

/** POST /api/admin/users (owner) */
export const UserCreateBody = z.object({
  email,
  password,
  name: z.string().trim().min(1).max(200).optional(),
  role: Role.default('agent'),
});
export type UserCreateBody = z.input<typeof UserCreateBody>;

/** PATCH /api/admin/users/:id (owner); a new password or disabling ends that user's sessions */
export const UserUpdateBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    role: Role,
    password,
    disabled: z.boolean(),
  })
  .partial();
export type UserUpdateBody = z.input<typeof UserUpdateBody>;

/** POST /api/admin/me/password: any signed-in user changes their own password */
export const PasswordChangeBody = z.object({ currentPassword: z.string().min(1).max(1024), newPassword: password });
export type PasswordChangeBody = z.input<typeof PasswordChangeBody>;

// ---------------------------------------------------------------------------------------------
// Transcripts: list, filters, detail

const id = z.string().min(1).max(128);
const epochMs = z.coerce.number().int().min(0);
const rating = z.coerce.number().min(0).max(10);

export const FollowUpStatus = z.enum(['none', 'open', 'assigned', 'done']);
export type FollowUpStatus = z.infer<typeof FollowUpStatus>;

/**
 * Filters shared by GET /api/admin/conversations and its export. Query strings, so numbers and
 * booleans are coerced. Ranges are inclusive; `to` is epoch ms.
 */
export const ConversationFilters = z.object({
  siteId: id.optional(),
  flowId: id.optional(),
  /** started at or after (epoch ms) */
  from: epochMs.optional(),
  /** started at or before (epoch ms) */
  to: epochMs.optional(),
  /** on the conversation's main rating (NPS, else CSAT/CES/stars), as extracted */
  ratingMin: rating.optional(),
  ratingMax: rating.optional(),
  nps: NpsCategory.optional(),
  sentiment: SentimentLabel.optional(),
  /** a topic name from the extraction */
  topic: z.string().min(1).max(80).optional(),
  followUpNeeded: z.stringbool().optional(),
  followUpStatus: FollowUpStatus.optional(),
  source: z.string().min(1).max(32).optional(),
  status: ConversationStatus.optional(),
  /** a tag added by an agent */
  tag: z.string().min(1).max(50).optional(),
  /** the customer's language as analysed (en, de, fr, es) */
  lang: z.enum(WIDGET_LANGS).optional(),
  visitorId: id.optional(),
  /** the visitor's email as given to identify() (exact, any case): find someone who asks to be forgotten */
  visitorEmail: z.string().trim().min(3).max(320).optional(),
  /** full-text search over message text (SQLite FTS5; words are matched as prefixes) */
  q: z.string().trim().min(1).max(200).optional(),
});
export type ConversationFilters = z.infer<typeof ConversationFilters>;

/** GET /api/admin/conversations: newest first, keyset pagination */
export const ConversationListQuery = ConversationFilters.extend({
  /** the `nextCursor` of the previous page (opaque) */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ConversationListQuery = z.infer<typeof ConversationListQuery>;

/** GET /api/admin/conversations/export */
export const ExportQuery = ConversationFilters.extend({ format: z.enum(['csv', 'json']).default('csv') });
export type ExportQuery = z.infer<typeof ExportQuery>;

export interface VisitorInfo {
  id: string;
  externalId: string | null;
  name: string | null;
  email: string | null;
  verified: boolean;
  locale: string | null;
  createdAt: number;
  lastSeenAt: number;
}

/** One row of the conversation list (and one record of the export, plus its messages). */
export interface ConversationSummary {
  id: string;
  siteId: string;
  flowId: string | null;
  source: string;
  status: z.infer<typeof ConversationStatus>;
  mode: z.infer<typeof ConversationMode>;
  agentName: string | null;
  visitorId: string | null;
  visitorName: string | null;
  visitorEmail: string | null;
  pageUrl: string | null;
  needsHuman: boolean;
  startedAt: number;
  lastActivityAt: number;
  endedAt: number | null;
  endReason: EndReason | null;
  messageCount: number;
  /** the first visitor message (or the last message), shortened, as plain text */
  preview: string | null;
  /** the main rating from the extraction, null when none */
  rating: { type: string; value: number; scaleMax: number } | null;
  npsCategory: z.infer<typeof NpsCategory> | null;
  sentiment: { label: z.infer<typeof SentimentLabel>; score: number } | null;
  topics: string[];
  followUpNeeded: boolean;
  followUpStatus: FollowUpStatus;
  followUpAssignee: { id: string; name: string } | null;
  tags: string[];
}

export interface ConversationPage {
  items: ConversationSummary[];
  /** pass as `cursor` for the next page; null on the last page */
  nextCursor: string | null;
}

export interface Note {
  id: number;
  conversationId: string;
  authorId: string | null;
  authorName: string;
  text: string;
  createdAt: number;
}

/** GET /api/admin/conversations/:id */
export interface ConversationDetail {
  conversation: ConversationSummary;
  messages: Message[];
  answers: Answer[];
  /** null until extraction ran; `sentiment.messages` scores each visitor message by id */
  extraction: Extraction | null;
  notes: Note[];
  visitor: VisitorInfo | null;
}

/** POST /api/admin/conversations/:id/notes */
export const NoteCreateBody = z.object({ text: z.string().trim().min(1).max(5000) });
export type NoteCreateBody = z.input<typeof NoteCreateBody>;

const tag = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .transform((t) => t.toLowerCase());
/** PUT /api/admin/conversations/:id/tags: replaces the set */
export const TagsBody = z.object({ tags: z.array(tag).max(30) });
export type TagsBody = z.input<typeof TagsBody>;

/** PUT /api/admin/conversations/:id/follow-up; assigneeId defaults to the caller when status is 'assigned' */
export const FollowUpBody = z.object({ status: FollowUpStatus, assigneeId: id.nullable().optional() });
export type FollowUpBody = z.input<typeof FollowUpBody>;

// ---------------------------------------------------------------------------------------------
// Privacy, retention, jobs, audit (owner)

/** DELETE /api/admin/visitors/:id -> what was removed */
export interface ForgetResult {
  visitorId: string;
  conversations: number;
  messages: number;
}

/** POST /api/admin/retention/run: run the sweep now instead of waiting for the hourly one */
export interface RetentionResult {
  sites: number;
  conversations: number;
}

export const JobsQuery = z.object({
  status: z.enum(['pending', 'running', 'done', 'dead']).optional(),
  kind: z.string().min(1).max(40).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type JobsQuery = z.infer<typeof JobsQuery>;

export interface JobView {
  id: number;
  kind: string;
  payload: unknown;
  status: 'pending' | 'running' | 'done' | 'dead';
  attempts: number;
  runAt: number;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** entries before this id (pagination) */
  before: z.coerce.number().int().min(1).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export interface AuditEntry {
  id: number;
  actorId: string | null;
  /** email of the actor, or 'system' for the retention sweep */
  actor: string;
  action: string;
  target: string | null;
  detail: unknown;
  createdAt: number;
}

// ---------------------------------------------------------------------------------------------
// Sites, flows, canned responses (owner, except reading)

const settings = SiteSettings.shape;
/**
 * A change to some site settings: only the fields given change. (Not `SiteSettings.partial()`:
 * zod would fill every absent field with its default and so reset it.)
 */
export const SiteSettingsPatch = z.strictObject({
  color: settings.color.unwrap().optional(),
  position: settings.position.unwrap().optional(),
  defaultFlow: settings.defaultFlow.unwrap().optional(),
  idleTimeoutMinutes: settings.idleTimeoutMinutes.unwrap().optional(),
  locale: settings.locale.unwrap().optional(),
  strings: settings.strings.unwrap().optional(),
  persona: settings.persona.unwrap().optional(),
  topics: settings.topics.unwrap().optional(),
  businessHours: settings.businessHours.unwrap().optional(),
  retentionDays: settings.retentionDays.unwrap().optional(),
  timeZone: settings.timeZone.unwrap().optional(),
});
export type SiteSettingsPatch = z.infer<typeof SiteSettingsPatch>;

const siteKey = z.string().regex(/^[a-z0-9_-]{2,64}$/i, 'letters, digits, _ and -, 2 to 64 characters');

/** POST /api/admin/sites */
export const SiteCreateBody = z.object({
  name: z.string().trim().min(1).max(200),
  /** generated from the name when absent */
  key: siteKey.optional(),
  allowedOrigins: z.array(OriginPattern).max(50).default([]),
  settings: SiteSettingsPatch.optional(),
});
export type SiteCreateBody = z.input<typeof SiteCreateBody>;

/** GET (show) and POST (rotate) /api/admin/sites/:id/identity-secret, owners only */
export interface IdentitySecretReply {
  /** hex; the site's server computes userHash = hex HMAC-SHA256(user id) keyed with it */
  identitySecret: string;
}

/**
 * PATCH /api/admin/sites/:id: only the fields given change; `settings` is merged field by field.
 * `greeting` is shorthand for `settings.strings[settings.locale].greeting`.
 */
export const SiteUpdateBody = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  allowedOrigins: z.array(OriginPattern).max(50).optional(),
  settings: SiteSettingsPatch.optional(),
  greeting: z.string().max(500).optional(),
});
export type SiteUpdateBody = z.input<typeof SiteUpdateBody>;

/** A site as the admin page sees it: the snippet to paste, never secrets. */
export interface AdminSite extends Site {
  /** the `<script>` tag for the site owner to paste */
  snippet: string;
  hasApiToken: boolean;
}

/** POST /api/admin/sites -> { site, apiToken }; POST /api/admin/sites/:id/token -> { apiToken } */
export interface SiteCreated {
  site: AdminSite;
  /** shown once; only its hash is stored */
  apiToken: string;
}

/**
 * PUT /api/admin/sites/:siteId/flows/:flowId with the flow as JSON text, so that schema errors
 * come back with the line they are on (error.issues[].line, 1-based).
 */
export const FlowSaveBody = z.object({ json: z.string().min(2).max(200_000) });
export type FlowSaveBody = z.input<typeof FlowSaveBody>;

export interface FlowSummary {
  id: string;
  kind: Flow['kind'];
  name: string;
}

/** GET .../flows/:flowId */
export interface FlowDetail {
  flow: Flow;
  /** the stored flow pretty-printed, for the JSON editor */
  json: string;
}

const cannedText = z.string().trim().min(1).max(LIMITS.MESSAGE_MAX_CHARS);
/**
 * POST /api/admin/canned (owner). Placeholders in `text`: {{visitor.name}}, {{agent.name}},
 * {{site.name}}. `siteId` null = every site.
 */
export const CannedCreateBody = z.object({
  siteId: id.nullable().default(null),
  /** typed after "/" in the composer */
  shortcut: z.string().regex(/^[a-z0-9_-]{1,40}$/i, 'letters, digits, _ and -'),
  title: z.string().trim().min(1).max(200),
  text: cannedText,
});
export type CannedCreateBody = z.input<typeof CannedCreateBody>;

/** PATCH /api/admin/canned/:id (owner) */
export const CannedUpdateBody = z.object({
  siteId: id.nullable().optional(),
  shortcut: CannedCreateBody.shape.shortcut.optional(),
  title: CannedCreateBody.shape.title.optional(),
  text: cannedText.optional(),
});
export type CannedUpdateBody = z.input<typeof CannedUpdateBody>;

export const CannedQuery = z.object({ siteId: id.optional() });

export interface CannedResponse {
  id: number;
  siteId: string | null;
  shortcut: string;
  title: string;
  text: string;
  createdAt: number;
  updatedAt: number;
}

// ---------------------------------------------------------------------------------------------
// Response bodies per route ("METHOD path" as mounted under /api/admin), without the `ok: true`.

export interface AdminResponses {
  'POST /login': SessionInfo;
  'POST /logout': object;
  'GET /session': SessionInfo;
  'GET /setup': SetupStatus;
  'POST /setup': SessionInfo;
  'POST /me/password': object;
  /** any signed-in user (to pick an assignee); changes are owner-only */
  'GET /users': { users: AdminUser[] };
  'POST /users': { user: AdminUser };
  'PATCH /users/:id': { user: AdminUser };
  'GET /conversations': ConversationPage;
  'GET /conversations/:id': ConversationDetail;
  'POST /conversations/:id/notes': { note: Note };
  'PUT /conversations/:id/tags': { tags: string[] };
  'PUT /conversations/:id/follow-up': { conversation: ConversationSummary };
  'DELETE /visitors/:id': ForgetResult;
  'POST /retention/run': RetentionResult;
  'GET /jobs': { jobs: JobView[] };
  'GET /audit': { entries: AuditEntry[] };
  'GET /sites': { sites: AdminSite[] };
  'POST /sites': SiteCreated;
  'GET /sites/:id': { site: AdminSite };
  'PATCH /sites/:id': { site: AdminSite };
  'POST /sites/:id/token': { apiToken: string };
  'GET /sites/:id/flows': { flows: FlowSummary[] };
  'GET /sites/:id/flows/:flowId': FlowDetail;
  'PUT /sites/:id/flows/:flowId': FlowDetail;
  'DELETE /sites/:id/flows/:flowId': object;
  'GET /canned': { canned: CannedResponse[] };
  'POST /canned': { canned: CannedResponse };
  'PATCH /canned/:id': { canned: CannedResponse };
  'DELETE /canned/:id': object;
}
// GET /conversations/export streams text/csv or application/json (an array of ConversationSummary
// each with `messages: Message[]`), not this envelope.

// ---------------------------------------------------------------------------------------------
// The /admin socket.io namespace. The handshake carries the session cookie (same origin only);
// there is no `auth` payload.

const conversationId = z.string().min(1).max(64);
const clientId = z.string().min(LIMITS.CLIENT_ID_MIN).max(LIMITS.CLIENT_ID_MAX);

export const AdminPayloads = {
  /** join a site's live feed: conversation:* events of that site */
  'site:subscribe': z.object({ siteId: id }),
  'site:unsubscribe': z.object({ siteId: id }),
  /** watch one conversation: its messages, deltas and typing; the ack has the transcript so far */
  'conversation:watch': z.object({ conversationId }),
  'conversation:unwatch': z.object({ conversationId }),
  /** pause the bot; the caller answers as a person */
  'conversation:take-over': z.object({ conversationId }),
  /** the bot answers again */
  'conversation:hand-back': z.object({ conversationId }),
  /** an agent message to the visitor (only while taken over by the caller) */
  'message:send': z.object({ conversationId, clientId, text: z.string().trim().min(1).max(LIMITS.MESSAGE_MAX_CHARS) }),
  /** a canned response, placeholders filled in by the server */
  'canned:send': z.object({ conversationId, clientId, cannedId: z.number().int().positive() }),
  'agent:typing': z.object({ conversationId, typing: z.boolean() }),
} as const;
export type AdminPayloads = { [K in keyof typeof AdminPayloads]: z.input<(typeof AdminPayloads)[K]> };

export interface AdminAcks {
  'site:subscribe': { open: ConversationSummary[] };
  'site:unsubscribe': object;
  'conversation:watch': { conversation: ConversationSummary; messages: Message[] };
  'conversation:unwatch': object;
  'conversation:take-over': { conversation: ConversationView };
  'conversation:hand-back': { conversation: ConversationView };
  'message:send': { message: Message };
  'canned:send': { message: Message };
  'agent:typing': object;
}

export type AdminClientEvents = {
  [K in keyof AdminAcks]: (payload: AdminPayloads[K], ack: (res: Ack<AdminAcks[K]>) => void) => void;
};

interface AdminScope {
  siteId: string;
  visitorId: string | null;
  conversationId: string;
}

export interface AdminServerEvents {
  /** to `site:<id>` subscribers */
  'conversation:started': (e: AdminScope & { conversation: ConversationView }) => void;
  'conversation:updated': (e: AdminScope & { conversation: ConversationView }) => void;
  'conversation:ended': (e: AdminScope & { reason: EndReason }) => void;
  /** a visitor asked for a person or the bot could not help (to `site:<id>` subscribers) */
  'handoff:requested': (e: AdminScope) => void;
  /** to `site:<id>` subscribers and watchers of the conversation */
  'message:created': (e: AdminScope & { message: CreatedMessage }) => void;
  /** to watchers only */
  'message:delta': (e: AdminScope & { draftId: string; text: string }) => void;
  'typing:changed': (e: AdminScope & { author: 'bot' | 'agent' | 'visitor'; typing: boolean }) => void;
  /** a follow-up of the site opened, changed or closed (to `site:<id>` subscribers): refresh counts */
  'follow-ups:changed': (e: { siteId: string; conversationId: string }) => void;
  /** the session ended (logout, expiry, disabled): the socket is closed after this */
  'session:ended': () => void;
}

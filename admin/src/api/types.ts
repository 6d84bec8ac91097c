/**
 * The shapes the admin page exchanges with the server, all from shared/ (the single source of
 * truth); components import them from here.
 */
export type {
  AdminSite,
  AdminUser,
  AuditEntry,
  CannedResponse,
  ConversationDetail,
  ConversationFilters,
  ConversationPage,
  ConversationSummary,
  FlowDetail,
  FlowSummary,
  FollowUpStatus,
  JobView,
  Note,
  Role,
  SessionInfo,
  SetupStatus,
  SiteCreated,
  VisitorInfo,
  AdminAcks,
  AdminServerEvents,
  ForgetResult,
  RetentionResult,
} from '../../../shared/admin-api.ts';
export type { ConversationView } from '../../../shared/conversation.ts';
export type { Extraction, NpsCategory, SentimentLabel } from '../../../shared/extraction.ts';
export type { Answer, Flow } from '../../../shared/flow.ts';
export type { Message } from '../../../shared/message.ts';
export type { Site, SiteSettings } from '../../../shared/site.ts';
export type {
  ConversationReach,
  DraftReplyResponse,
  EmailLogEntry,
  EmailLogResponse,
  PlaybookRun,
  PlaybookSettings,
  ReplyLang,
  SentReply,
} from '../../../shared/reach.ts';

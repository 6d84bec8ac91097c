/** The /api/admin routes for reaching customers (shared/reach.ts). */
import type {
  ConversationReach,
  DraftReplyResponse,
  EmailLogResponse,
  PlaybookSettings,
  PlaybookSettingsBody,
  ReplyLang,
  SendReplyBody,
  SentReply,
} from '../../../shared/reach.ts';
import type { Http } from './http.ts';

const enc = encodeURIComponent;

export function createReachApi(http: Http) {
  return {
    draftReply: (conversationId: string, lang?: ReplyLang) =>
      http.post<DraftReplyResponse>(`/conversations/${enc(conversationId)}/reply-draft`, lang ? { lang } : {}),
    sendReply: (conversationId: string, body: SendReplyBody) =>
      http.post<{ reply: SentReply }>(`/conversations/${enc(conversationId)}/replies`, body),
    conversationReach: (conversationId: string) => http.get<ConversationReach>(`/conversations/${enc(conversationId)}/reach`),
    listEmails: (siteId?: string) => http.get<EmailLogResponse>('/emails', { siteId }),
    getPlaybooks: (siteId: string) => http.get<{ playbooks: PlaybookSettings; smtpProblem: string | null }>(`/sites/${enc(siteId)}/playbooks`),
    savePlaybooks: (siteId: string, body: PlaybookSettingsBody) =>
      http.put<{ playbooks: PlaybookSettings }>(`/sites/${enc(siteId)}/playbooks`, body),
  };
}
export type ReachApi = ReturnType<typeof createReachApi>;

/**
 * Every /api/admin route the page calls, in one place, typed by shared/admin-api.ts.
 */
import type {
  CannedCreateBody,
  CannedUpdateBody,
  IdentitySecretReply,
  PasswordChangeBody,
  SetupBody,
  SiteCreateBody,
  SiteUpdateBody,
  UserCreateBody,
  UserUpdateBody,
} from '../../../shared/admin-api.ts';
import type {
  CompareBody,
  Comparison,
  Dashboard,
  DashboardQuery,
  EmergingQuery,
  EmergingResult,
  InsightFilters,
  InsightReport,
  ReportSchedule,
} from '../../../shared/insights.ts';
import { createIngestApi } from '../ingest/ingest-api.ts';
import type { Http, Query } from './http.ts';
import { createReachApi } from './reach-api.ts';
import { respondApi } from '../respond/respond-api.ts';
import type {
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
  ForgetResult,
  JobView,
  Note,
  RetentionResult,
  SessionInfo,
  SetupStatus,
  SiteCreated,
} from './types.ts';

export type ExportFormat = 'csv' | 'json';

export function filtersToQuery(f: ConversationFilters): Query {
  return { ...f };
}

const enc = encodeURIComponent;

export function createAdminApi(http: Http) {
  const adopt = (session: SessionInfo): SessionInfo => {
    http.setCsrfToken(session.csrfToken);
    return session;
  };
  return {
    session: async () => adopt(await http.get<SessionInfo>('/session')),
    login: async (email: string, password: string) => adopt(await http.post<SessionInfo>('/login', { email, password })),
    logout: () => http.post<object>('/logout'),
    /** public: whether this install still needs its first owner (asked when there is no session) */
    setupStatus: () => http.get<SetupStatus>('/setup'),
    /** creates the first owner and signs them in; refused with 'conflict' once any account exists */
    setup: async (body: SetupBody) => adopt(await http.post<SessionInfo>('/setup', body)),

    listConversations: (filters: ConversationFilters, cursor?: string | null, limit = 50) =>
      http.get<ConversationPage>('/conversations', { ...filtersToQuery(filters), cursor, limit }),
    getConversation: (id: string) => http.get<ConversationDetail>(`/conversations/${enc(id)}`),
    addNote: (id: string, text: string) => http.post<{ note: Note }>(`/conversations/${enc(id)}/notes`, { text }),
    setTags: (id: string, tags: string[]) => http.put<{ tags: string[] }>(`/conversations/${enc(id)}/tags`, { tags }),
    setFollowUp: (id: string, status: FollowUpStatus, assigneeId?: string | null) =>
      http.put<{ conversation: ConversationSummary }>(`/conversations/${enc(id)}/follow-up`, { status, assigneeId }),
    exportUrl: (filters: ConversationFilters, format: ExportFormat) =>
      http.url('/conversations/export', { ...filtersToQuery(filters), format }),
    forgetVisitor: (visitorId: string) => http.del<ForgetResult>(`/visitors/${enc(visitorId)}`),

    listSites: () => http.get<{ sites: AdminSite[] }>('/sites'),
    createSite: (body: SiteCreateBody) => http.post<SiteCreated>('/sites', body),
    updateSite: (id: string, body: SiteUpdateBody) => http.patch<{ site: AdminSite }>(`/sites/${enc(id)}`, body),
    rotateToken: (id: string) => http.post<{ apiToken: string }>(`/sites/${enc(id)}/token`),
    identitySecret: (id: string) => http.get<IdentitySecretReply>(`/sites/${enc(id)}/identity-secret`),
    rotateIdentitySecret: (id: string) => http.post<IdentitySecretReply>(`/sites/${enc(id)}/identity-secret`),

    listFlows: (siteId: string) => http.get<{ flows: FlowSummary[] }>(`/sites/${enc(siteId)}/flows`),
    getFlow: (siteId: string, flowId: string) => http.get<FlowDetail>(`/sites/${enc(siteId)}/flows/${enc(flowId)}`),
    saveFlow: (siteId: string, flowId: string, json: string) =>
      http.put<FlowDetail>(`/sites/${enc(siteId)}/flows/${enc(flowId)}`, { json }),
    deleteFlow: (siteId: string, flowId: string) => http.del<object>(`/sites/${enc(siteId)}/flows/${enc(flowId)}`),

    listCanned: (siteId?: string) => http.get<{ canned: CannedResponse[] }>('/canned', { siteId }),
    createCanned: (body: CannedCreateBody) => http.post<{ canned: CannedResponse }>('/canned', body),
    updateCanned: (id: number, body: CannedUpdateBody) => http.patch<{ canned: CannedResponse }>(`/canned/${id}`, body),
    deleteCanned: (id: number) => http.del<object>(`/canned/${id}`),

    insightsDashboard: (q: Partial<DashboardQuery>) => http.get<{ dashboard: Dashboard }>('/insights/dashboard', { ...q }),
    insightsEmerging: (q: Partial<EmergingQuery>) => http.get<{ emerging: EmergingResult }>('/insights/emerging', { ...q }),
    insightsCompare: (body: CompareBody) => http.post<{ comparison: Comparison }>('/insights/compare', body),
    generateReport: (filters: InsightFilters) => http.post<{ report: InsightReport }>('/insights/reports', filters),
    reportMarkdownUrl: (id: string) => http.url(`/insights/reports/${enc(id)}/markdown`),
    reportPrintUrl: (id: string) => http.url(`/insights/reports/${enc(id)}/print`),
    reportSchedule: (siteId: string) =>
      http.get<{ schedule: ReportSchedule; emailAvailable: boolean; webhookAvailable: boolean }>(`/insights/schedule/${enc(siteId)}`),
    setReportSchedule: (siteId: string, email: string | null, emergingAlerts: boolean, webhook: boolean) =>
      http.put<{ schedule: ReportSchedule }>('/insights/schedule', { siteId, email, emergingAlerts, webhook }),

    listJobs: (status?: JobView['status']) => http.get<{ jobs: JobView[] }>('/jobs', { status }),
    listAudit: (before?: number) => http.get<{ entries: AuditEntry[] }>('/audit', { before, limit: 100 }),
    runRetention: () => http.post<RetentionResult>('/retention/run'),

    listUsers: () => http.get<{ users: AdminUser[] }>('/users'),
    createUser: (body: UserCreateBody) => http.post<{ user: AdminUser }>('/users', body),
    updateUser: (id: string, body: UserUpdateBody) => http.patch<{ user: AdminUser }>(`/users/${enc(id)}`, body),
    changePassword: (body: PasswordChangeBody) => http.post<object>('/me/password', body),
    /** feedback ingest: file imports, feeds, the inbound webhook */
    ingest: createIngestApi(http),

    // replies, e-mail log, playbooks
    ...createReachApi(http),
    // routing rules, teams, follow-ups inbox, webhooks
    ...respondApi(http),
  };
}
export type AdminApi = ReturnType<typeof createAdminApi>;

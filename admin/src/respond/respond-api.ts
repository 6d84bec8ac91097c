/** The /api/admin routes of routing rules, teams, the follow-ups inbox and webhooks. */
import type {
  FollowUpCount,
  FollowUpItem,
  Team,
  TeamInput,
  WebhookCreateBody,
  WebhookCreated,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookUpdateBody,
} from '../../../shared/respond.ts';
import type { Priority, Rule, RuleFiring, RuleInput } from '../../../shared/rules.ts';
import type { Urgency } from '../../../shared/extraction.ts';
import type { Http } from '../api/http.ts';

const enc = encodeURIComponent;

export interface ConversationRouting {
  priority: Priority;
  teamId: string | null;
  followUpDueAt: number | null;
  followUpUrgency: Urgency | null;
}

export function respondApi(http: Http) {
  return {
    listRules: (siteId: string) => http.get<{ rules: Rule[] }>(`/sites/${enc(siteId)}/rules`),
    createRule: (siteId: string, body: RuleInput) => http.post<{ rule: Rule }>(`/sites/${enc(siteId)}/rules`, body),
    updateRule: (id: string, body: RuleInput) => http.put<{ rule: Rule }>(`/rules/${enc(id)}`, body),
    deleteRule: (id: string) => http.del<object>(`/rules/${enc(id)}`),
    moveRule: (id: string, direction: 'up' | 'down') => http.post<{ rules: Rule[] }>(`/rules/${enc(id)}/move`, { direction }),
    conversationRules: (conversationId: string) =>
      http.get<{ firings: RuleFiring[]; routing: ConversationRouting | null }>(`/conversations/${enc(conversationId)}/rules`),

    listTeams: () => http.get<{ teams: Team[] }>('/teams'),
    createTeam: (body: TeamInput) => http.post<{ team: Team }>('/teams', body),
    updateTeam: (id: string, body: TeamInput) => http.put<{ team: Team }>(`/teams/${enc(id)}`, body),
    deleteTeam: (id: string) => http.del<object>(`/teams/${enc(id)}`),

    listFollowUps: (opts: { mine?: boolean; siteId?: string } = {}) => http.get<{ items: FollowUpItem[] }>('/follow-ups', { mine: opts.mine ? 'true' : undefined, siteId: opts.siteId }),
    followUpCount: () => http.get<FollowUpCount>('/follow-ups/count'),

    listWebhooks: (siteId: string) => http.get<{ endpoints: WebhookEndpoint[] }>(`/sites/${enc(siteId)}/webhooks`),
    createWebhook: (siteId: string, body: WebhookCreateBody) => http.post<WebhookCreated>(`/sites/${enc(siteId)}/webhooks`, body),
    updateWebhook: (id: string, body: WebhookUpdateBody) => http.patch<{ endpoint: WebhookEndpoint }>(`/webhooks/${enc(id)}`, body),
    deleteWebhook: (id: string) => http.del<object>(`/webhooks/${enc(id)}`),
    webhookDeliveries: (id: string) => http.get<{ deliveries: WebhookDelivery[] }>(`/webhooks/${enc(id)}/deliveries`),
    testWebhook: (id: string) => http.post<{ delivery: WebhookDelivery }>(`/webhooks/${enc(id)}/test`),
  };
}

/**
 * Teams, the follow-ups inbox and outbound webhooks: request bodies (validated on the server)
 * and response shapes of their /api/admin routes.
 */
import { z } from 'zod';
import type { FollowUpStatus } from './admin-api.ts';
import type { Urgency } from './extraction.ts';
import type { Priority } from './rules.ts';

const id = z.string().min(1).max(128);

// ---- teams ---------------------------------------------------------------------------------

/** POST /api/admin/teams, PUT /api/admin/teams/:id (owner) */
export const TeamInput = z.object({
  name: z.string().trim().min(1, 'required').max(100),
  memberIds: z.array(id).max(500).default([]),
  siteIds: z.array(id).max(500).default([]),
});
export type TeamInput = z.input<typeof TeamInput>;

export interface Team {
  id: string;
  name: string;
  memberIds: string[];
  siteIds: string[];
  createdAt: number;
}

// ---- follow-ups inbox ----------------------------------------------------------------------

/** GET /api/admin/follow-ups */
export const FollowUpsQuery = z.object({
  mine: z.stringbool().optional(),
  siteId: id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export type FollowUpsQuery = z.infer<typeof FollowUpsQuery>;

export type SlaState = 'ok' | 'due_soon' | 'overdue' | 'none';

export interface FollowUpItem {
  conversationId: string;
  siteId: string;
  status: Exclude<FollowUpStatus, 'none' | 'done'>;
  urgency: Urgency | null;
  priority: Priority;
  dueAt: number | null;
  openedAt: number;
  /** when the conversation started (age is measured from here) */
  startedAt: number;
  assignee: { id: string; name: string } | null;
  teamId: string | null;
  visitorName: string | null;
  reason: string | null;
  preview: string | null;
  sla: SlaState;
}

/** GET /api/admin/follow-ups/count: open follow-ups the caller can see, and those assigned to them */
export interface FollowUpCount {
  open: number;
  mine: number;
  overdue: number;
}

// ---- webhooks ------------------------------------------------------------------------------

export const WebhookEvent = z.enum([
  /** sent at every end: a conversation that ended for inactivity may be reopened and end again */
  'conversation.ended',
  /** a visitor's message reopened a conversation that had ended for inactivity */
  'conversation.reopened',
  'conversation.analysed',
  'follow_up.opened',
  'follow_up.closed',
  'rule.fired',
  /** insights: topics rising significantly (daily check), and the weekly insight report */
  'insights.emerging',
  'insights.report',
]);
export type WebhookEvent = z.infer<typeof WebhookEvent>;

export const WebhookFormat = z.enum(['json', 'slack']);
export type WebhookFormat = z.infer<typeof WebhookFormat>;

/** POST /api/admin/sites/:id/webhooks (owner) */
export const WebhookCreateBody = z.object({
  name: z.string().trim().min(1, 'required').max(100),
  url: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).max(2000),
  events: z.array(WebhookEvent).max(10).default([]),
  format: WebhookFormat.default('json'),
});
export type WebhookCreateBody = z.input<typeof WebhookCreateBody>;

/** PATCH /api/admin/webhooks/:id (owner); enabling again resets the failure count and resumes delivery */
export const WebhookUpdateBody = WebhookCreateBody.partial().extend({ enabled: z.boolean().optional() });
export type WebhookUpdateBody = z.input<typeof WebhookUpdateBody>;

export interface WebhookEndpoint {
  id: string;
  siteId: string;
  name: string;
  url: string;
  events: WebhookEvent[];
  format: WebhookFormat;
  enabled: boolean;
  /** why it was switched off (e.g. after too many failures in a row) */
  disabledReason: string | null;
  consecutiveFailures: number;
  createdAt: number;
  updatedAt: number;
}

/** POST .../webhooks returns the secret once (it signs every delivery) */
export interface WebhookCreated {
  endpoint: WebhookEndpoint;
  secret: string;
}

export interface WebhookDelivery {
  id: number;
  endpointId: string;
  event: WebhookEvent | 'test';
  conversationId: string | null;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
}

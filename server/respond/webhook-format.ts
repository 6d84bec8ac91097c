/** The body an endpoint receives: Parley's JSON envelope, or a Slack-compatible message. */
import type { WebhookEvent, WebhookFormat } from '../../shared/respond.ts';

export interface WebhookEnvelope {
  /** unique per event and endpoint: receivers can drop a repeat by it */
  id: string;
  event: WebhookEvent | 'test';
  createdAt: number;
  siteId: string;
  conversationId: string | null;
  data: Record<string, unknown>;
}

const TITLES: Record<WebhookEnvelope['event'], string> = {
  'conversation.ended': 'Conversation ended',
  'conversation.reopened': 'Conversation reopened',
  'conversation.analysed': 'Conversation analysed',
  'follow_up.opened': 'Follow-up opened',
  'follow_up.closed': 'Follow-up closed',
  'rule.fired': 'Rule fired',
  'insights.emerging': 'Emerging topics',
  'insights.report': 'Weekly insight report',
  test: 'Test event from Parley',
};

/** Slack reads <...> as links and mentions: customer and rule text goes in escaped */
const esc = (t: string) => t.replace(/[<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&amp;'));
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/** one line a person reads in a chat channel; customer text is quoted, never markup */
function slackText(e: WebhookEnvelope, adminUrl: string | null): string {
  const parts = [`*${TITLES[e.event]}*`];
  const rule = str(e.data.ruleName);
  if (rule) parts.push(`rule: ${esc(rule)}`);
  const summary = str(e.data.summary);
  if (summary) parts.push(`> ${esc(summary.slice(0, 500))}`);
  const reasons = Array.isArray(e.data.reasons) ? e.data.reasons.filter((r): r is string => typeof r === 'string') : [];
  if (reasons.length) parts.push(`why: ${esc(reasons.join('; '))}`);
  if (e.conversationId && adminUrl) parts.push(`<${adminUrl}/admin/#/conversations/${encodeURIComponent(e.conversationId)}|Open the conversation>`);
  return parts.join('\n');
}

export function formatBody(e: WebhookEnvelope, format: WebhookFormat, adminUrl: string | null): string {
  if (format === 'slack') return JSON.stringify({ text: slackText(e, adminUrl) });
  return JSON.stringify(e);
}

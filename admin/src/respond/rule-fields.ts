/**
 * The rule editor's form model: each condition and action type as a list of fields, a draft of
 * plain form values, and the conversions draft -> candidate (checked by the shared RuleInput
 * schema) and rule -> draft. Errors come back keyed by their path, e.g. "conditions.0.min".
 */
import type { Rule, RuleAction, RuleCondition, RuleInput } from '../../../shared/rules.ts';
import { RuleInput as RuleInputSchema } from '../../../shared/rules.ts';

export type FieldKind = 'number' | 'text' | 'textarea' | 'list' | 'checks' | 'select' | 'bool' | 'ref';
export type RefKind = 'teams' | 'agents' | 'endpoints';

export interface FieldSpec {
  key: string;
  label: string;
  kind: FieldKind;
  options?: readonly string[];
  ref?: RefKind;
  /** a select that may stay empty */
  optional?: boolean;
  hint?: string;
}

export type Value = string | string[] | boolean;
export interface ItemDraft {
  type: string;
  values: Record<string, Value>;
}
export interface RuleDraft {
  name: string;
  enabled: boolean;
  match: 'all' | 'any';
  conditions: ItemDraft[];
  actions: ItemDraft[];
}

const URGENCY = ['low', 'medium', 'high', 'critical'] as const;

export const CONDITION_TYPES: readonly { type: RuleCondition['type']; label: string; fields: FieldSpec[] }[] = [
  {
    type: 'rating',
    label: 'Rating in a range',
    fields: [
      { key: 'ratingType', label: 'Rating', kind: 'select', options: ['any', 'nps', 'csat', 'ces', 'stars'] },
      { key: 'min', label: 'From', kind: 'number' },
      { key: 'max', label: 'To', kind: 'number' },
    ],
  },
  { type: 'nps', label: 'NPS category', fields: [{ key: 'categories', label: 'Category', kind: 'checks', options: ['promoter', 'passive', 'detractor'] }] },
  {
    type: 'sentiment',
    label: 'Sentiment',
    fields: [
      { key: 'labels', label: 'Label', kind: 'checks', options: ['positive', 'neutral', 'negative'] },
      { key: 'min', label: 'Score from (-1 to 1)', kind: 'number' },
      { key: 'max', label: 'Score to', kind: 'number' },
    ],
  },
  { type: 'topic', label: 'Topic is one of', fields: [{ key: 'topics', label: 'Topics', kind: 'list', hint: 'comma-separated' }] },
  {
    type: 'expectation_unmet',
    label: 'An expectation was not met',
    fields: [{ key: 'kinds', label: 'Of kind (none: any)', kind: 'checks', options: ['delivery', 'feature', 'price', 'response_time', 'quality', 'refund', 'other'] }],
  },
  { type: 'follow_up_needed', label: 'Follow-up needed', fields: [{ key: 'value', label: 'Needed', kind: 'bool' }] },
  { type: 'urgency_at_least', label: 'Urgency at least', fields: [{ key: 'level', label: 'Level', kind: 'select', options: URGENCY }] },
  { type: 'keywords', label: 'Visitor wrote a keyword', fields: [{ key: 'words', label: 'Words or phrases', kind: 'list', hint: 'comma-separated, whole words, any case' }] },
  { type: 'language', label: 'Language', fields: [{ key: 'languages', label: 'Language codes', kind: 'list', hint: 'e.g. en, de' }] },
  { type: 'flow', label: 'Flow', fields: [{ key: 'flowIds', label: 'Flow ids', kind: 'list' }] },
  { type: 'source', label: 'Source', fields: [{ key: 'sources', label: 'Sources', kind: 'list', hint: 'widget, api, import, feed, webhook' }] },
  { type: 'verified_visitor', label: 'Verified visitor', fields: [{ key: 'value', label: 'Verified', kind: 'bool' }] },
];

export const ACTION_TYPES: readonly { type: RuleAction['type']; label: string; fields: FieldSpec[] }[] = [
  {
    type: 'assign',
    label: 'Assign to a team or an agent',
    fields: [
      { key: 'teamId', label: 'Team', kind: 'ref', ref: 'teams', optional: true },
      { key: 'agentId', label: 'Agent', kind: 'ref', ref: 'agents', optional: true },
    ],
  },
  { type: 'set_priority', label: 'Set priority', fields: [{ key: 'priority', label: 'Priority', kind: 'select', options: ['low', 'normal', 'high', 'urgent'] }] },
  { type: 'add_tags', label: 'Add tags', fields: [{ key: 'tags', label: 'Tags', kind: 'list', hint: 'comma-separated' }] },
  { type: 'open_follow_up', label: 'Open a follow-up', fields: [
    { key: 'dueInHours', label: 'Due in (hours)', kind: 'number' },
    { key: 'urgency', label: 'Urgency (default: from the analysis)', kind: 'select', options: URGENCY, optional: true },
  ] },
  { type: 'notify_webhook', label: 'Notify a webhook endpoint', fields: [{ key: 'endpointId', label: 'Endpoint', kind: 'ref', ref: 'endpoints', optional: true }] },
  { type: 'notify_email', label: 'Notify an e-mail address', fields: [{ key: 'to', label: 'E-mail address', kind: 'text' }] },
  { type: 'send_reply', label: 'Send an automated reply', fields: [{ key: 'text', label: 'Reply', kind: 'textarea', hint: 'placeholders: {{visitor.name}}, {{site.name}}' }] },
];

const specOf = (list: readonly { type: string; fields: FieldSpec[] }[], type: string) => list.find((x) => x.type === type)?.fields ?? [];
export const conditionFields = (type: string) => specOf(CONDITION_TYPES, type);
export const actionFields = (type: string) => specOf(ACTION_TYPES, type);

function emptyValue(f: FieldSpec): Value {
  if (f.kind === 'bool') return true;
  if (f.kind === 'checks') return [];
  if (f.kind === 'select' && !f.optional) return f.options?.[0] ?? '';
  return '';
}

export function newItem(type: string, fields: FieldSpec[]): ItemDraft {
  return { type, values: Object.fromEntries(fields.map((f) => [f.key, emptyValue(f)])) };
}

export const newDraft = (): RuleDraft => ({
  name: '',
  enabled: true,
  match: 'all',
  conditions: [newItem('nps', conditionFields('nps'))],
  actions: [newItem('set_priority', actionFields('set_priority'))],
});

/** form value -> what the schema expects; a bad number stays text so the schema names it */
function toCandidate(f: FieldSpec, v: Value | undefined): unknown {
  switch (f.kind) {
    case 'bool':
      return v === true;
    case 'checks':
      return Array.isArray(v) ? v : [];
    case 'list':
      return typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : [];
    case 'number': {
      const s = typeof v === 'string' ? v.trim() : '';
      if (s === '') return undefined;
      const n = Number(s);
      return Number.isFinite(n) ? n : s;
    }
    default: {
      const s = typeof v === 'string' ? v : '';
      return s === '' && (f.optional || f.kind === 'ref') ? undefined : s;
    }
  }
}

function itemCandidate(item: ItemDraft, fields: FieldSpec[]): Record<string, unknown> {
  const out: Record<string, unknown> = { type: item.type };
  for (const f of fields) {
    const v = toCandidate(f, item.values[f.key]);
    if (v !== undefined) out[f.key] = v;
  }
  return out;
}

export function candidateOf(d: RuleDraft): unknown {
  return {
    name: d.name,
    enabled: d.enabled,
    match: d.match,
    conditions: d.conditions.map((c) => itemCandidate(c, conditionFields(c.type))),
    actions: d.actions.map((a) => itemCandidate(a, actionFields(a.type))),
  };
}

export type FieldErrors = ReadonlyMap<string, string>;

/** check the draft with the shared schema: the rule to send, or the errors by field path */
export function validateDraft(d: RuleDraft): { ok: true; rule: RuleInput } | { ok: false; errors: FieldErrors } {
  const r = RuleInputSchema.safeParse(candidateOf(d));
  if (r.success) return { ok: true, rule: r.data };
  const errors = new Map<string, string>();
  for (const issue of r.error.issues) {
    const path = issue.path.map(String).join('.');
    if (!errors.has(path)) errors.set(path, friendly(issue.message));
  }
  return { ok: false, errors };
}

function friendly(message: string): string {
  if (/expected number, received string/i.test(message)) return 'a number';
  if (/expected number, received undefined/i.test(message)) return 'required';
  if (/expected string, received undefined/i.test(message)) return 'required';
  if (/too small.*>=?1 items/i.test(message)) return 'pick at least one';
  return message;
}

function itemDraft(item: Record<string, unknown> & { type: string }, fields: FieldSpec[]): ItemDraft {
  const values: Record<string, Value> = {};
  for (const f of fields) {
    const v = Object.prototype.hasOwnProperty.call(item, f.key) ? item[f.key] : undefined;
    if (f.kind === 'bool') values[f.key] = v !== false;
    else if (f.kind === 'checks') values[f.key] = Array.isArray(v) ? v.map(String) : [];
    else if (f.kind === 'list') values[f.key] = Array.isArray(v) ? v.map(String).join(', ') : '';
    else values[f.key] = v === undefined || v === null ? '' : String(v);
  }
  return { type: item.type, values };
}

export function draftOf(rule: Rule): RuleDraft {
  return {
    name: rule.name,
    enabled: rule.enabled,
    match: rule.match,
    conditions: rule.conditions.map((c) => itemDraft(c, conditionFields(c.type))),
    actions: rule.actions.map((a) => itemDraft(a, actionFields(a.type))),
  };
}

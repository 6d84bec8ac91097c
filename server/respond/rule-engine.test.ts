import { beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { Extraction } from '../../shared/extraction.ts';
import type { RuleAction, RuleCondition, RuleInput } from '../../shared/rules.ts';
import { createLogger } from '../logger.ts';
import { openDb } from '../store/db.ts';
import { createStore, type Store } from '../store/index.ts';
import { evaluateCondition, type RuleContext } from './conditions.ts';
import { recordingPorts, type RecordingPorts } from './recording-ports.ts';
import { createRuleEngine, type RuleEngine } from './rule-engine.ts';
import { createWebhookService, WEBHOOK_JOB, type WebhookService } from './webhooks.ts';

const log = createLogger('silent');

function extraction(conversationId: string, over: Partial<z.input<typeof Extraction>> = {}): Extraction {
  return Extraction.parse({
    conversationId,
    extractor: 'offline',
    extractorVersion: 'offline@test',
    ratings: [{ questionId: 'nps', type: 'nps', value: 3, scaleMin: 0, scaleMax: 10, inferred: false, confidence: 1 }],
    npsCategory: 'detractor',
    sentiment: { label: 'negative', score: -0.62, messages: [] },
    topics: [{ name: 'Delivery', score: 0.8 }],
    keyPhrases: [],
    summary: 'Parcel three weeks late, wants a call back.',
    expectations: [{ kind: 'delivery', text: 'expected the parcel within 5 days', status: 'unmet' }],
    followUp: { needed: true, reason: 'asked to be called back', urgency: 'high', contact: { email: null, phone: '+49 30 1234567' } },
    createdAt: 1_700_000_000_000,
    ...over,
  });
}

let store: Store;
let siteId: string;
let ports: RecordingPorts;
let webhooks: WebhookService;
let engine: RuleEngine;
let clock: number;

async function conversation(opts: { lines?: string[]; locale?: string | null; verified?: boolean; source?: string; flowId?: string } = {}): Promise<string> {
  const { visitor } = await store.visitors.create(siteId, opts.locale ?? 'de-DE');
  if (opts.verified) await store.visitors.identify(visitor.id, { externalId: 'u-77', name: 'Jonas Weber', email: 'jonas@example.de', verified: true });
  const c = await store.conversations.create({ siteId, visitorId: visitor.id, flowId: opts.flowId ?? 'nps', ...(opts.source ? { source: opts.source } : {}) });
  for (const text of opts.lines ?? ['3', 'Das Paket ist nach drei Wochen immer noch nicht da. Bitte rufen Sie mich an!']) await store.messages.append(c.id, { author: 'visitor', text });
  return c.id;
}

const rule = (over: Partial<z.input<typeof RuleInput>> & Pick<z.input<typeof RuleInput>, 'conditions' | 'actions'>) =>
  store.respond.rules.create(siteId, { name: 'r', enabled: true, match: 'all', ...over } as RuleInput);

beforeEach(async () => {
  store = createStore(openDb(':memory:'));
  siteId = (await store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: [], identitySecret: 'secret-1234' })).id;
  ports = recordingPorts();
  webhooks = createWebhookService({ store, log, allowPrivate: true });
  clock = 1_800_000_000_000;
  engine = createRuleEngine({ store, ports, webhooks, log, now: () => clock });
});

describe('rule conditions', () => {
  const ctxOf = (x: Extraction, texts: string[] = [], over: Partial<RuleContext['facts']> = {}): RuleContext => ({
    extraction: x,
    facts: {
      conversationId: 'c',
      siteId: 's',
      flowId: 'nps',
      source: 'widget',
      visitorId: null,
      visitorName: null,
      visitorEmail: null,
      visitorVerified: false,
      visitorLocale: 'fr-CA',
      followUpStatus: 'none',
      visitorTexts: texts,
      ...over,
    },
  });
  const check = (c: z.input<typeof import('../../shared/rules.ts').RuleCondition>, ctx: RuleContext) => evaluateCondition(c as RuleCondition, ctx).matched;

  it('each condition matches what it says and nothing else', () => {
    const x = extraction('c');
    const ctx = ctxOf(x, ['Le colis est arrivé cassé, Kundendienst?', 'constructor']);
    expect(check({ type: 'rating', ratingType: 'nps', min: 0, max: 6 }, ctx)).toBe(true);
    expect(check({ type: 'rating', ratingType: 'csat', min: 0, max: 6 }, ctx)).toBe(false);
    expect(check({ type: 'rating', ratingType: 'any', min: 7 }, ctx)).toBe(false);
    expect(check({ type: 'nps', categories: ['detractor'] }, ctx)).toBe(true);
    expect(check({ type: 'nps', categories: ['promoter', 'passive'] }, ctx)).toBe(false);
    expect(check({ type: 'sentiment', labels: ['negative'] }, ctx)).toBe(true);
    expect(check({ type: 'sentiment', labels: [], min: -1, max: -0.7 }, ctx)).toBe(false);
    expect(check({ type: 'sentiment', labels: [], max: -0.5 }, ctx)).toBe(true);
    expect(check({ type: 'topic', topics: ['billing', 'DELIVERY'] }, ctx)).toBe(true);
    expect(check({ type: 'topic', topics: ['billing'] }, ctx)).toBe(false);
    expect(check({ type: 'expectation_unmet', kinds: [] }, ctx)).toBe(true);
    expect(check({ type: 'expectation_unmet', kinds: ['price'] }, ctx)).toBe(false);
    expect(check({ type: 'follow_up_needed', value: true }, ctx)).toBe(true);
    expect(check({ type: 'follow_up_needed', value: false }, ctx)).toBe(false);
    expect(check({ type: 'urgency_at_least', level: 'medium' }, ctx)).toBe(true);
    expect(check({ type: 'urgency_at_least', level: 'critical' }, ctx)).toBe(false);
    // whole words, any case; "cass" is not a word of "cassé"; a word that is an Object key is just a word
    expect(check({ type: 'keywords', words: ['CASSÉ'] }, ctx)).toBe(true);
    expect(check({ type: 'keywords', words: ['cass'] }, ctx)).toBe(false);
    expect(check({ type: 'keywords', words: ['kundendienst'] }, ctx)).toBe(true);
    expect(check({ type: 'keywords', words: ['constructor'] }, ctx)).toBe(true);
    expect(check({ type: 'keywords', words: ['toString'] }, ctx)).toBe(false);
    expect(check({ type: 'keywords', words: ['arrivé cassé'] }, ctx)).toBe(true);
    // language: the widget locale when the extraction has none, the extraction's when it has one
    expect(check({ type: 'language', languages: ['fr'] }, ctx)).toBe(true);
    expect(check({ type: 'language', languages: ['de'] }, ctxOf({ ...x, language: 'de' } as Extraction))).toBe(true);
    expect(check({ type: 'language', languages: ['fr'] }, ctxOf({ ...x, language: 'de' } as Extraction))).toBe(false);
    expect(check({ type: 'flow', flowIds: ['nps'] }, ctx)).toBe(true);
    expect(check({ type: 'flow', flowIds: ['support'] }, ctx)).toBe(false);
    expect(check({ type: 'source', sources: ['widget'] }, ctx)).toBe(true);
    expect(check({ type: 'source', sources: ['feed', 'import'] }, ctx)).toBe(false);
    expect(check({ type: 'verified_visitor', value: true }, ctx)).toBe(false);
    expect(check({ type: 'verified_visitor', value: true }, ctxOf(x, [], { visitorVerified: true }))).toBe(true);
  });
});

describe('rule engine', () => {
  it('all/any: a rule fires only when all (or any) of its conditions match, and records why', async () => {
    const c = await conversation();
    const all = await rule({ name: 'all', conditions: [{ type: 'nps', categories: ['detractor'] }, { type: 'topic', topics: ['billing'] }], actions: [{ type: 'add_tags', tags: ['all'] }] });
    const any = await rule({ name: 'any', match: 'any', conditions: [{ type: 'nps', categories: ['detractor'] }, { type: 'topic', topics: ['billing'] }], actions: [{ type: 'add_tags', tags: ['any'] }] });
    expect(await engine.run(extraction(c))).toEqual([any.id]);
    expect(all.id).not.toBe(any.id);
    expect(await store.admin.notes.tags(c)).toEqual(['any']);
    const [firing] = await store.respond.rules.firings(c);
    expect(firing).toMatchObject({ ruleName: 'any', reasons: ['NPS category is detractor'], actions: ['tagged any'] });
  });

  it('runs the rules in order and performs every kind of action', async () => {
    const team = await store.respond.teams.create({ name: 'Escalations', memberIds: [], siteIds: [siteId] });
    const hash = (await import('node:crypto')).createHash('sha256').update('x').digest('hex');
    const agent = await store.admin.users.create({ email: 'mara@acme.test', name: 'Mara', role: 'agent', passwordHash: hash });
    const { endpoint } = await webhooks.create(siteId, { name: 'ops-hook', url: 'http://127.0.0.1:9/hook', events: [] });
    const actions: z.input<typeof import('../../shared/rules.ts').RuleAction>[] = [
      { type: 'assign', teamId: team.id, agentId: agent.id },
      { type: 'set_priority', priority: 'urgent' },
      { type: 'add_tags', tags: ['Escalated'] },
      { type: 'open_follow_up', dueInHours: 24 },
      { type: 'notify_webhook', endpointId: endpoint.id },
      { type: 'notify_email', to: 'support-leads@acme.test' },
      { type: 'send_reply', text: 'Hallo {{visitor.name}}, wir melden uns heute noch.' },
    ];
    const c = await conversation({ verified: true });
    const first = await rule({ name: 'first', conditions: [{ type: 'urgency_at_least', level: 'high' }], actions: actions as RuleAction[] });
    const second = await rule({ name: 'second', conditions: [{ type: 'follow_up_needed', value: true }], actions: [{ type: 'set_priority', priority: 'low' }] });
    expect(await engine.run(extraction(c))).toEqual([first.id, second.id]);

    // in order: the second rule's priority wins
    expect(await store.respond.routing.routing(c)).toMatchObject({ priority: 'low', teamId: team.id, followUpDueAt: clock + 24 * 3_600_000, followUpUrgency: 'high' });
    expect(await store.admin.reviews.get(c)).toMatchObject({ followUpStatus: 'assigned', followUpAssignee: { id: agent.id, name: 'Mara' }, tags: ['escalated'] });
    expect(ports.emails).toEqual([expect.objectContaining({ to: 'support-leads@acme.test', subject: '[Parley] first', conversationId: c, siteId })]);
    expect(ports.emails[0]?.text).toContain('urgency high is at least high');
    expect(ports.replies).toEqual([expect.objectContaining({ conversationId: c, text: 'Hallo Jonas Weber, wir melden uns heute noch.', agentId: null })]);
    const deliveries = await store.respond.webhooks.log(endpoint.id);
    expect(deliveries.map((d) => d.event)).toEqual(['rule.fired']);
    expect(JSON.parse(deliveries[0]!.body)).toMatchObject({ event: 'rule.fired', data: { ruleName: 'first', visitor: { verified: true } } });
    expect((await store.respond.rules.firings(c)).map((f) => f.actions)).toEqual([
      ['assigned to team Escalations and Mara', 'priority set to urgent', 'tagged escalated', 'follow-up opened, due in 24 h', 'webhook ops-hook notified', 'e-mail to support-leads@acme.test', 'automated reply sent'],
      ['priority set to low'],
    ]);
    expect(await store.respond.routing.inbox({ scope: null, mine: agent.id, limit: 10 }, clock)).toEqual([
      expect.objectContaining({ conversationId: c, urgency: 'high', sla: 'ok', assignee: { id: agent.id, name: 'Mara' } }),
    ]);
    expect((await store.jobs.counts()).pending).toBeGreaterThan(0);
    expect((await store.jobs.claim([WEBHOOK_JOB], 10, 1000)).length).toBe(1);
  });

  it('fires at most once per conversation: a re-analysis fires only what it newly matches, and resends nothing', async () => {
    const c = await conversation();
    await rule({
      name: 'escalate',
      conditions: [{ type: 'expectation_unmet', kinds: [] }],
      actions: [
        { type: 'notify_email', to: 'ops@acme.test' },
        { type: 'send_reply', text: 'Sorry! We are on it.' },
        { type: 'open_follow_up', dueInHours: 8 },
      ],
    });
    const passive = await rule({ name: 'passive', conditions: [{ type: 'nps', categories: ['passive'] }], actions: [{ type: 'add_tags', tags: ['passive'] }] });
    const x = extraction(c);
    expect(await engine.run(x)).toHaveLength(1);
    // the same extraction stored again (a retried job): nothing runs
    expect(await engine.run({ ...x, createdAt: x.createdAt + 5000 })).toHaveLength(0);
    // a re-analysis with different content (the conversation reopened and ended again) matches
    // again: the rule already fired for this conversation, so nothing is done or recorded twice
    clock += 3_600_000;
    expect(await engine.run(extraction(c, { summary: 'Still no parcel; very angry.', createdAt: x.createdAt + 99_000 }))).toHaveLength(0);
    expect(ports.emails).toHaveLength(1);
    expect(ports.replies).toHaveLength(1);
    expect(await store.respond.rules.firings(c)).toHaveLength(1);
    expect((await store.respond.routing.routing(c))?.followUpDueAt).toBe(clock - 3_600_000 + 8 * 3_600_000);
    // a rule the new result matches for the first time fires
    const passiveNow = { npsCategory: 'passive' as const, ratings: [{ questionId: 'nps', type: 'nps' as const, value: 7, scaleMin: 0, scaleMax: 10, inferred: false, confidence: 1 }] };
    expect(await engine.run(extraction(c, { ...passiveNow, createdAt: x.createdAt + 120_000 }))).toEqual([passive.id]);
    expect(await store.admin.notes.tags(c)).toContain('passive');
    expect(ports.emails).toHaveLength(1);
    expect(await store.respond.rules.firings(c)).toHaveLength(2);
  });

  it('skips disabled rules and other sites’ rules', async () => {
    const c = await conversation();
    await rule({ name: 'off', enabled: false, conditions: [{ type: 'nps', categories: ['detractor'] }], actions: [{ type: 'add_tags', tags: ['off'] }] });
    const other = await store.sites.create({ key: 'other', name: 'Other', allowedOrigins: [], identitySecret: 'secret-5678' });
    await store.respond.rules.create(other.id, { name: 'x', enabled: true, match: 'all', conditions: [{ type: 'nps', categories: ['detractor'] }], actions: [{ type: 'add_tags', tags: ['other'] }] });
    expect(await engine.run(extraction(c))).toEqual([]);
    expect(await store.admin.notes.tags(c)).toEqual([]);
  });
});

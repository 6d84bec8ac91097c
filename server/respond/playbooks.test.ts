import { afterEach, describe, expect, it } from 'vitest';
import { Extraction } from '../../shared/extraction.ts';
import type { z } from 'zod';
import type { ConversationView } from '../../shared/conversation.ts';
import type { Site } from '../../shared/site.ts';
import { ConversationBus } from '../conversation/events.ts';
import { createJobWorker } from '../jobs/worker.ts';
import { createLogger } from '../logger.ts';
import { openDb } from '../store/db.ts';
import { createStore, type Store } from '../store/index.ts';
import { toView } from '../store/conversations.ts';
import type { Visitor } from '../store/visitors.ts';
import { createReach } from './reach.ts';
import { recheckFlowId } from './playbook-texts.ts';
import { startTestSmtp, type TestSmtp } from './smtp-test-server.ts';

const log = createLogger('silent');
const DAY = 24 * 60 * 60 * 1000;
let smtp: TestSmtp | null = null;
afterEach(async () => {
  await smtp?.close();
  smtp = null;
});

function extraction(conversationId: string, over: Partial<z.input<typeof Extraction>> = {}): Extraction {
  return Extraction.parse({
    conversationId, extractor: 'offline', extractorVersion: 'offline@test', ratings: [], npsCategory: null,
    sentiment: { label: 'neutral', score: 0, messages: [] }, topics: [], keyPhrases: [], summary: 'A customer.',
    expectations: [], followUp: { needed: false, reason: null, urgency: null, contact: { email: null, phone: null } },
    createdAt: Date.now(), ...over,
  });
}

async function setup(mail: { url: string; from: string } | null = null) {
  const store: Store = createStore(openDb(':memory:'));
  const site = await store.sites.create({ key: 'nw', name: 'Northwind Goods', allowedOrigins: [] });
  const { visitor } = await store.visitors.create(site.id, 'en-GB');
  const c = await store.conversations.create({ siteId: site.id, visitorId: visitor.id, flowId: 'nps', pageUrl: 'https://shop.northwind.test/orders' });
  await store.messages.append(c.id, { author: 'visitor', text: 'Honestly the parcel was late again and the box was crushed.' });
  await store.conversations.end(c.id, 'completed');
  /** stands in for the conversation service: opens the check-in chat with its first bot line */
  const starts: string[] = [];
  const conversations = {
    async start(s: Site, v: Visitor, p: { flowId?: string }) {
      starts.push(p.flowId ?? '');
      const n = await store.conversations.create({ siteId: s.id, visitorId: v.id, flowId: p.flowId ?? null });
      await store.messages.append(n.id, { author: 'bot', text: 'Has it got better since then?' });
      return { conversation: toView((await store.conversations.get(n.id))!) as ConversationView, messages: await store.messages.list(n.id) };
    },
  };
  const reach = createReach({ store, bus: new ConversationBus(), log, llm: null, mail, conversations });
  const worker = createJobWorker({ jobs: store.jobs, handlers: reach.jobHandlers, log });
  const agentLines = async () => (await store.messages.list(c.id)).filter((m) => m.author === 'agent');
  return { store, site: (await store.sites.getById(site.id))!, visitor: (await store.visitors.get(visitor.id))!, conversationId: c.id, reach, worker, agentLines, starts };
}

describe('playbook: thank promoters', () => {
  it('thanks a promoter once with the review link, also after a re-analysis; nobody else', async () => {
    const t = await setup();
    await t.store.playbooks.saveSettings(t.site.id, { thankPromoters: { enabled: true, reviewUrl: 'https://reviews.example/northwind' }, resolved: { enabled: false }, recheckDetractors: { enabled: false, afterDays: 7 } });
    await t.reach.afterExtraction(extraction(t.conversationId, { npsCategory: 'promoter' }));
    await t.reach.afterExtraction(extraction(t.conversationId, { npsCategory: 'promoter' }));
    await t.worker.drain();
    const lines = await t.agentLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]!.text).toContain('Thank you for the kind words');
    expect(lines[0]!.text).toContain('https://reviews.example/northwind');
    expect(lines[0]!.authorName).toBe('Northwind Goods');
  });

  it('does nothing while switched off, or for a passive', async () => {
    const t = await setup();
    await t.reach.afterExtraction(extraction(t.conversationId, { npsCategory: 'promoter' }));
    await t.store.playbooks.saveSettings(t.site.id, { thankPromoters: { enabled: true, reviewUrl: null }, resolved: { enabled: false }, recheckDetractors: { enabled: false, afterDays: 7 } });
    await t.reach.afterExtraction(extraction(t.conversationId, { npsCategory: 'passive' }));
    await t.worker.drain();
    expect(await t.agentLines()).toHaveLength(0);
  });
});

describe('playbook: follow-up resolved', () => {
  it('tells the customer once when the follow-up is marked done, by e-mail too when an address is known', async () => {
    smtp = await startTestSmtp();
    const t = await setup({ url: smtp.url, from: 'Northwind <help@northwind.test>' });
    await t.store.visitors.identify(t.visitor.id, { externalId: 'c-88', name: 'Priya', email: 'priya@example.org', verified: false });
    await t.store.playbooks.saveSettings(t.site.id, { thankPromoters: { enabled: false, reviewUrl: null }, resolved: { enabled: true }, recheckDetractors: { enabled: false, afterDays: 7 } });
    const summary = (await t.store.admin.reviews.get(t.conversationId))!;
    await t.reach.followUpChanged({ ...summary, followUpStatus: 'open' });
    await t.worker.drain();
    expect(await t.agentLines()).toHaveLength(0);
    await t.reach.followUpChanged({ ...summary, followUpStatus: 'done' });
    await t.reach.followUpChanged({ ...summary, followUpStatus: 'done' });
    await t.worker.drain();
    expect((await t.agentLines()).map((m) => m.text)).toEqual(['Hi Priya, good news: the matter you told us about has been resolved. If anything is still not right, start a new conversation here and tell us.']);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.to).toEqual(['priya@example.org']);
  });
});

describe('playbook: ask a detractor again', () => {
  it('schedules the check-in N days out, opens a short CSAT chat on the next visit and records "not recovered" from a low answer', async () => {
    const t = await setup();
    await t.store.playbooks.saveSettings(t.site.id, { thankPromoters: { enabled: false, reviewUrl: null }, resolved: { enabled: false }, recheckDetractors: { enabled: true, afterDays: 5 } });
    const before = Date.now();
    await t.reach.afterExtraction(extraction(t.conversationId, { npsCategory: 'detractor' }));
    const [run] = await t.store.playbooks.list(t.conversationId);
    expect(run).toMatchObject({ playbook: 'recheck_detractor', status: 'scheduled' });
    expect(run!.runAt).toBeGreaterThanOrEqual(before + 5 * DAY);
    expect(await t.store.jobs.nextDueAt(['playbook'])).toBe(run!.runAt);

    // five days later the job runs (called directly: the test cannot wait days)
    const job = { id: 0, kind: 'playbook', payload: {}, status: 'running' as const, attempts: 1, runAt: run!.runAt, lockedUntil: null, lastError: null, dedupeKey: null };
    await t.reach.jobHandlers.playbook!({ runId: run!.id, conversationId: t.conversationId }, job);
    const hello = { visitorToken: 'x'.repeat(20), visitorId: t.visitor.id, verified: false, site: { name: 'Northwind Goods', color: null, position: 'bottom-right', locale: 'en', strings: {}, humansAvailable: true, humansBackAt: null }, conversation: null, messages: [] } as never;
    const shown = await t.reach.widget.hello(t.site, t.visitor, hello);
    expect(t.starts).toEqual([recheckFlowId('en')]);
    expect(shown.conversation?.status).toBe('open');
    expect(shown.unread).toEqual([1]);
    const checkInId = shown.conversation!.id;
    // a second visit does not open another check-in
    await t.reach.widget.hello(t.site, t.visitor, hello);
    expect(t.starts).toHaveLength(1);

    await t.reach.afterExtraction(extraction(checkInId, { ratings: [{ questionId: 'better', type: 'csat', value: 2, scaleMin: 1, scaleMax: 5, inferred: false, confidence: 1 }] }));
    expect((await t.store.playbooks.list(t.conversationId))[0]).toMatchObject({ status: 'answered', outcome: 'not_recovered', recheckConversationId: checkInId });
  });

  it('records "recovered" from a 4 or 5', async () => {
    const t = await setup();
    await t.store.playbooks.saveSettings(t.site.id, { thankPromoters: { enabled: false, reviewUrl: null }, resolved: { enabled: false }, recheckDetractors: { enabled: true, afterDays: 1 } });
    await t.reach.afterExtraction(extraction(t.conversationId, { npsCategory: 'detractor' }));
    const run = (await t.store.playbooks.list(t.conversationId))[0]!;
    const job = { id: 0, kind: 'playbook', payload: {}, status: 'running' as const, attempts: 1, runAt: 0, lockedUntil: null, lastError: null, dedupeKey: null };
    await t.reach.jobHandlers.playbook!({ runId: run.id, conversationId: t.conversationId }, job);
    const shown = await t.reach.widget.hello(t.site, t.visitor, { conversation: null, messages: [] } as never);
    await t.reach.afterExtraction(extraction(shown.conversation!.id, { ratings: [{ questionId: 'better', type: 'csat', value: 5, scaleMin: 1, scaleMax: 5, inferred: false, confidence: 1 }] }));
    expect((await t.store.playbooks.list(t.conversationId))[0]!.outcome).toBe('recovered');
  });

  it('is cancelled when the visitor is forgotten: the run, its job and any e-mail go', async () => {
    const t = await setup();
    await t.store.playbooks.saveSettings(t.site.id, { thankPromoters: { enabled: false, reviewUrl: null }, resolved: { enabled: false }, recheckDetractors: { enabled: true, afterDays: 3 } });
    await t.reach.afterExtraction(extraction(t.conversationId, { npsCategory: 'detractor' }));
    await t.reach.ports.sendEmail({ siteId: t.site.id, conversationId: t.conversationId, to: 'x@example.org', subject: 'Hi', text: 'Hi', idempotencyKey: 'k-forget' });
    expect((await t.store.jobs.counts()).pending).toBe(2);
    await t.store.admin.privacy.forgetVisitor(t.visitor.id);
    expect((await t.store.jobs.counts()).pending).toBe(0);
    expect(await t.store.playbooks.list(t.conversationId)).toEqual([]);
    expect(await t.store.emails.log({ limit: 10 })).toEqual([]);
  });
});

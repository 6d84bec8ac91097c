import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/message.ts';
import { ConversationBus } from '../conversation/events.ts';
import { createJobWorker } from '../jobs/worker.ts';
import { createLogger } from '../logger.ts';
import { openDb } from '../store/db.ts';
import { createStore } from '../store/index.ts';
import { insertExtraction } from '../store/review-fixtures.ts';
import { createResponsePorts, REPLY_JOB } from './delivery.ts';
import { createMailer } from './mailer.ts';
import { header, startTestSmtp, type TestSmtp } from './smtp-test-server.ts';

const log = createLogger('silent');
let smtp: TestSmtp;
beforeEach(async () => {
  smtp = await startTestSmtp();
});
afterEach(() => smtp.close());

async function setup() {
  const db = openDb(':memory:');
  const store = createStore(db);
  const site = await store.sites.create({ key: 'nw', name: 'Northwind Goods', allowedOrigins: [] });
  const { visitor } = await store.visitors.create(site.id, 'fr-FR');
  const c = await store.conversations.create({ siteId: site.id, visitorId: visitor.id, flowId: 'nps' });
  await store.messages.append(c.id, { author: 'visitor', text: 'Le colis est arrivé avec dix jours de retard, je suis vraiment déçue du service.' });
  await store.conversations.end(c.id, 'completed');
  const bus = new ConversationBus();
  const pushed: Message[] = [];
  bus.on('message:created', (e) => pushed.push(e.message));
  const mailer = createMailer({ url: smtp.url, from: 'Northwind <help@northwind.test>' });
  const ports = createResponsePorts({ store, bus, mailer, log });
  const worker = createJobWorker({ jobs: store.jobs, handlers: ports.jobHandlers, log });
  return { db, store, siteId: site.id, visitorId: visitor.id, conversationId: c.id, ports, worker, pushed, mailer };
}

describe('replies (ResponsePorts.sendReply)', () => {
  it('delivers an automated reply once, however often it is asked, and e-mails the address the customer left in the chat', async () => {
    const t = await setup();
    insertExtraction(t.db, {
      conversationId: t.conversationId, extractor: 'offline', extractorVersion: 'offline@t', ratings: [], npsCategory: 'detractor',
      sentiment: { label: 'negative', score: -0.6, messages: [] }, topics: [], keyPhrases: [], summary: 'Late parcel.', expectations: [],
      followUp: { needed: true, reason: 'late', urgency: 'high', contact: { email: 'claire.martin@example.fr', phone: null } }, createdAt: 1,
    });
    const input = { conversationId: t.conversationId, text: 'Bonjour, nous sommes désolés pour ce retard.', authorName: 'Northwind Goods', agentId: null, idempotencyKey: 'rule:r7:c:1' };
    await t.ports.sendReply(input);
    await t.ports.sendReply(input);
    await t.worker.drain();
    await t.ports.sendReply(input);
    await t.worker.drain();
    expect((await t.store.messages.list(t.conversationId)).filter((m) => m.author === 'agent').map((m) => m.text)).toEqual([input.text]);
    expect(t.pushed.filter((m) => m.author === 'agent')).toHaveLength(1);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.to).toEqual(['claire.martin@example.fr']);
    expect(header(smtp.received[0]!.raw, 'Subject')).toBe('Une réponse à votre message à Northwind Goods');
    t.mailer.close();
  });

  it('a reply queued by a process that died before delivering it is delivered by its job, once', async () => {
    const t = await setup();
    // what sendReply writes before delivering, as a crash would leave it
    const { reply } = await t.store.replies.add({ idempotencyKey: 'agent:c:k1', conversationId: t.conversationId, agentId: 'u1', authorName: 'Ana', text: 'Nous avons retrouvé votre colis.', emailToo: false });
    await t.store.jobs.enqueue(REPLY_JOB, { replyId: reply.id, conversationId: t.conversationId }, { dedupeKey: `reply:${reply.id}` });
    await t.worker.drain();
    await t.worker.drain();
    expect((await t.store.messages.list(t.conversationId)).filter((m) => m.author === 'agent')).toHaveLength(1);
    expect((await t.store.replies.get(reply.id))!.deliveredAt).not.toBeNull();
    expect(smtp.received).toHaveLength(0);
    t.mailer.close();
  });

  it('a reply asked for inside a transaction that rolls back is never shown nor sent', async () => {
    const t = await setup();
    await expect(
      t.store.tx(async () => {
        await t.ports.sendReply({ conversationId: t.conversationId, text: 'Merci pour votre patience.', authorName: 'Northwind Goods', agentId: null, idempotencyKey: 'rule:r9:c:0' });
        // the rest of the rule takes a few turns of the event loop: the reply must wait for the end
        for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
        expect(t.pushed).toEqual([]);
        throw new Error('a later action of the rule failed');
      }),
    ).rejects.toThrow('a later action');
    await new Promise((r) => setImmediate(r));
    await t.worker.drain();
    expect(t.pushed).toEqual([]);
    expect((await t.store.messages.list(t.conversationId)).filter((m) => m.author === 'agent')).toEqual([]);
    // the retried job asks again: now it is delivered, once
    await t.ports.sendReply({ conversationId: t.conversationId, text: 'Merci pour votre patience.', authorName: 'Northwind Goods', agentId: null, idempotencyKey: 'rule:r9:c:0' });
    await new Promise((r) => setImmediate(r));
    await t.worker.drain();
    expect(t.pushed.map((m) => m.text)).toEqual(['Merci pour votre patience.']);
    t.mailer.close();
  });

  it('a reply to a forgotten conversation is dropped quietly', async () => {
    const t = await setup();
    await t.store.admin.privacy.forgetVisitor(t.visitorId);
    await expect(t.ports.sendReply({ conversationId: t.conversationId, text: 'Hello?', authorName: 'Ana', agentId: null, idempotencyKey: 'k-gone' })).resolves.toBeUndefined();
    await t.worker.drain();
    expect((await t.store.jobs.counts()).dead).toBe(0);
    t.mailer.close();
  });
});

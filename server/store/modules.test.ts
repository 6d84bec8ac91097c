/**
 * Store modules that have no test file of their own here (their services test them on SQLite):
 * the same calls and answers on both engines.
 */
import { describe, expect, it } from 'vitest';
import { ENGINES, useEngine } from './test-helpers.ts';

describe.each(ENGINES)('respond and admin store modules (%s)', (engine) => {
  const db = useEngine(engine);

  it('rules keep their order when moved, and fire once per extraction', async () => {
    const { store, siteId } = await db.withSite();
    const rules = store.respond.rules;
    const make = (name: string) =>
      rules.create(siteId, { name, enabled: true, match: 'all', conditions: [{ type: 'nps', categories: ['detractor'] }], actions: [{ type: 'add_tags', tags: [name] }] });
    const a = await make('a');
    const b = await make('b');
    const c = await make('c');
    expect((await rules.list(siteId)).map((r) => r.name)).toEqual(['a', 'b', 'c']);
    expect(await rules.move(c.id, 'up')).toBe(true);
    expect(await rules.move(a.id, 'up')).toBe(true);
    expect((await rules.list(siteId)).map((r) => r.name)).toEqual(['a', 'c', 'b']);
    const conv = await store.conversations.create({ siteId, visitorId: null, flowId: 'nps' });
    const firing = { ruleId: b.id, ruleName: 'b', conversationId: conv.id, hash: 'h1', reasons: ['nps'], actions: ['tag'] };
    expect(await rules.hasFired(b.id, conv.id, 'h1')).toBe(false);
    expect(await rules.recordFiring(firing)).toBe(true);
    expect(await rules.recordFiring(firing)).toBe(false);
    expect(await rules.hasFired(b.id, conv.id, 'h1')).toBe(true);
    expect((await rules.firings(conv.id)).map((f) => [f.ruleName, f.reasons])).toEqual([['b', ['nps']]]);
    expect(await rules.remove(b.id)).toBe(true);
    expect(await rules.remove(b.id)).toBe(false);
  });

  it('webhook deliveries go out one chain head at a time, once per event key', async () => {
    const { store, siteId } = await db.withSite();
    const hooks = store.respond.webhooks;
    const ep = await hooks.create({ siteId, name: 'ops', url: 'https://hooks.test/x', secret: 's', events: ['conversation.ended'], format: 'json' });
    const add = (chain: string, key: string) => hooks.addDelivery({ endpointId: ep.id, chain, event: 'conversation.ended', eventKey: key, body: '{}' });
    const d1 = await add('c1', 'k1');
    const d2 = await add('c1', 'k2');
    const d3 = await add('c2', 'k3');
    expect(await add('c1', 'k1')).toBeNull();
    expect((await hooks.chainHead(ep.id, 'c1'))?.id).toBe(d1);
    expect((await hooks.pendingHeads(ep.id)).map((d) => d.id).sort((x, y) => x - y)).toEqual([d1, d3]);
    expect(await hooks.markDelivered(d1!)).toBe(true);
    expect(await hooks.markDelivered(d1!)).toBe(false);
    expect((await hooks.chainHead(ep.id, 'c1'))?.id).toBe(d2);
    expect(await hooks.recordFailure(ep.id, 100)).toEqual({ failures: 1, since: 100 });
    expect(await hooks.recordFailure(ep.id, 200)).toEqual({ failures: 2, since: 100 });
    await hooks.recordSuccess(ep.id);
    expect(await hooks.recordFailure(ep.id, 300)).toEqual({ failures: 1, since: 300 });
    expect((await hooks.log(ep.id, 2)).map((d) => d.id)).toEqual([d3, d2]);
  });

  it('replies to a visitor: queued once, delivered, read up to a seq', async () => {
    const { store, siteId } = await db.withSite();
    const { visitor } = await store.visitors.create(siteId, 'en');
    const c = await store.conversations.create({ siteId, visitorId: visitor.id, flowId: 'support' }, 1000);
    const replies = store.replies;
    const r = { conversationId: c.id, agentId: null, authorName: 'Ana', text: 'hello', emailToo: false };
    const first = await replies.add({ ...r, idempotencyKey: 'k1' });
    expect(first.created).toBe(true);
    expect((await replies.add({ ...r, idempotencyKey: 'k1', text: 'again' })).created).toBe(false);
    const second = await replies.add({ ...r, idempotencyKey: 'k2', emailToo: true });
    expect(second.reply.emailToo).toBe(true);
    expect(await replies.latestUnreadConversation(visitor.id)).toBeNull();
    const m1 = await store.messages.append(c.id, { author: 'agent', text: 'hello' });
    const m2 = await store.messages.append(c.id, { author: 'agent', text: 'hello 2' });
    expect(await replies.markDelivered(first.reply.id, m1.message.id, m1.message.seq, 2000)).toBe(true);
    expect(await replies.markDelivered(first.reply.id, m1.message.id, m1.message.seq, 2000)).toBe(false);
    expect(await replies.markDelivered(second.reply.id, m2.message.id, m2.message.seq, 2001)).toBe(true);
    expect(await replies.unreadSeqs(c.id)).toEqual([1, 2]);
    expect(await replies.latestUnreadConversation(visitor.id)).toBe(c.id);
    expect(await replies.markRead(c.id, 1)).toBe(1);
    expect(await replies.unreadSeqs(c.id)).toEqual([2]);
    // open conversation: no reply is awaited for an ended one yet
    expect(await replies.awaiting(visitor.id, 0)).toBe(false);
    await store.conversations.end(c.id, 'visitor', 3000);
    // ended without an analysis: a reply may still come
    expect(await replies.awaiting(visitor.id, 0)).toBe(true);
    expect(await replies.awaiting(visitor.id, 4000)).toBe(false);
  });

  it('playbook runs: scheduled once, a due recheck found for the visitor and linked once', async () => {
    const { store, siteId } = await db.withSite();
    const { visitor } = await store.visitors.create(siteId, 'en');
    const c = await store.conversations.create({ siteId, visitorId: visitor.id, flowId: 'nps' });
    const pb = store.playbooks;
    const run = await pb.schedule('recheck_detractor', siteId, c.id, 5000);
    expect(run).not.toBeNull();
    expect(await pb.schedule('recheck_detractor', siteId, c.id, 6000)).toBeNull();
    expect(await pb.pendingRecheck(visitor.id)).toBeNull();
    expect(await pb.finish(run!.id, 'sent', null)).toBe(true);
    expect(await pb.finish(run!.id, 'sent', null)).toBe(false);
    expect((await pb.pendingRecheck(visitor.id))?.id).toBe(run!.id);
    const next = await store.conversations.create({ siteId, visitorId: visitor.id, flowId: 'nps' });
    expect(await pb.linkRecheck(run!.id, next.id)).toBe(true);
    expect(await pb.linkRecheck(run!.id, next.id)).toBe(false);
    expect((await pb.byRecheckConversation(next.id))?.id).toBe(run!.id);
    expect(await pb.pendingRecheck(visitor.id)).toBeNull();
  });

  it('admin users by e-mail whatever its case; sessions purged when expired', async () => {
    const { store } = await db.withSite();
    const user = await store.admin.users.create({ email: 'Ana@Acme.test', name: 'Ana', role: 'agent', passwordHash: 'scrypt$x' });
    expect((await store.admin.users.getByEmail('ana@acme.TEST'))?.id).toBe(user.id);
    await expect(store.admin.users.create({ email: 'ANA@acme.test', name: 'Ana 2', role: 'agent', passwordHash: 'scrypt$x' })).rejects.toThrow();
    expect((await store.admin.users.update(user.id, { disabled: true }))?.disabled).toBe(true);
    expect(await store.admin.users.count()).toBe(1);
    const s = store.admin.sessions;
    await s.create({ tokenHash: 't1', userId: user.id, csrfToken: 'c1', createdAt: 1, expiresAt: 100, absoluteExpiresAt: 100, ip: null, userAgent: null });
    await s.create({ tokenHash: 't2', userId: user.id, csrfToken: 'c2', createdAt: 1, expiresAt: 10_000, absoluteExpiresAt: 20_000, ip: '::1', userAgent: 'x' });
    expect(await s.purgeExpired(500)).toBe(1);
    expect(await s.get('t1')).toBeNull();
    expect((await s.get('t2'))?.userId).toBe(user.id);
    expect(await s.removeOthers(user.id, 't2')).toBe(0);
    expect(await s.removeForUser(user.id)).toBe(1);
  });

  it('privacy: forgetting a visitor and deleting old conversations in batches', async () => {
    const { store, siteId } = await db.withSite();
    const { visitor } = await store.visitors.create(siteId, 'en');
    const mine = await store.conversations.create({ siteId, visitorId: visitor.id, flowId: 'nps' }, 1000);
    await store.messages.append(mine.id, { author: 'visitor', text: 'forget me' }, 1000);
    await store.jobs.enqueue('extract', { conversationId: mine.id }, { dedupeKey: `extract:${mine.id}` });
    for (let i = 0; i < 5; i++) await store.conversations.create({ siteId, visitorId: null, flowId: 'nps' }, 2000 + i);
    const recent = await store.conversations.create({ siteId, visitorId: null, flowId: 'nps' }, 9000);
    expect(await store.admin.privacy.visitorExists(visitor.id)).toBe(true);
    expect(await store.admin.privacy.forgetVisitor(visitor.id)).toEqual({ conversations: 1, messages: 1 });
    expect(await store.admin.privacy.visitorExists(visitor.id)).toBe(false);
    expect(await store.jobs.counts()).toEqual({ pending: 0, running: 0, done: 0, dead: 0 });
    expect(await store.admin.privacy.deleteConversationsBefore(siteId, 5000, 3)).toBe(3);
    expect(await store.admin.privacy.deleteConversationsBefore(siteId, 5000, 3)).toBe(2);
    expect(await store.admin.privacy.deleteConversationsBefore(siteId, 5000, 3)).toBe(0);
    expect((await store.conversations.get(recent.id))?.id).toBe(recent.id);
  });

  it('audit entries newest first, paged by id', async () => {
    const { store } = await db.withSite();
    for (let i = 0; i < 5; i++) await store.admin.audit.log({ actorId: null, actor: 'cli', action: `a${i}`, detail: { i } }, 1000 + i);
    const page = await store.admin.audit.list(2);
    expect(page.map((e) => e.action)).toEqual(['a4', 'a3']);
    expect((await store.admin.audit.list(10, page.at(-1)!.id)).map((e) => e.action)).toEqual(['a2', 'a1', 'a0']);
  });

  it('insight report schedules: each change a new generation; a stale generation cannot move the next run', async () => {
    const { store, siteId } = await db.withSite();
    const reports = store.insights.reports;
    expect(await reports.schedule(siteId)).toBeNull();
    const first = await reports.setSchedule(siteId, 'ops@acme.test', true, false, 5000, 1);
    expect(first).toEqual({ siteId, email: 'ops@acme.test', emergingAlerts: true, webhook: false, generation: 1, nextRunAt: 5000 });
    const second = await reports.setSchedule(siteId, null, false, true, 6000, 2);
    expect(second).toMatchObject({ email: null, emergingAlerts: false, webhook: true, generation: 2 });
    await reports.setNextRun(siteId, 1, 9999);
    expect((await reports.schedule(siteId))?.nextRunAt).toBe(6000);
    await reports.setNextRun(siteId, 2, 7000);
    expect((await reports.schedule(siteId))?.nextRunAt).toBe(7000);
  });

  it('insights: the visitor message holding a phrase, whatever the case of its letters', async () => {
    const { store, siteId } = await db.withSite();
    const c = await store.conversations.create({ siteId, visitorId: null, flowId: 'nps' });
    await store.messages.append(c.id, { author: 'bot', text: 'Über uns' });
    await store.messages.append(c.id, { author: 'visitor', text: 'Hallo' });
    await store.messages.append(c.id, { author: 'visitor', text: 'ÜBER zwei Wochen Lieferzeit' });
    const q = store.insights.queries;
    expect(await q.messageWith(c.id, 'über zwei')).toBe('ÜBER zwei Wochen Lieferzeit');
    expect(await q.messageWith(c.id, 'LIEFERZEIT')).toBe('ÜBER zwei Wochen Lieferzeit');
    expect(await q.messageWith(c.id, 'uns')).toBeNull();
  });
});

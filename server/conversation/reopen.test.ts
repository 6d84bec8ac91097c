/**
 * A widget that was offline past the idle timeout delivers its outbox: the visitor's reply reopens
 * a conversation the idle sweeper ended (the whole server: real offline engine, extraction worker,
 * routing rules, insights), once; conversations the visitor or an agent ended stay ended.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Site } from '../../shared/site.ts';
import type { RunningServer } from '../main.ts';
import { startOfflineServer } from '../testing/offline-server.ts';
import { recordingPorts } from '../respond/recording-ports.ts';
import type { Visitor } from '../store/visitors.ts';

const HOUR = 60 * 60_000;
let stop: () => Promise<void> = async () => undefined;
let server: RunningServer;
let site: Site;
const ports = recordingPorts();

beforeAll(async () => {
  // the sweeper is driven by the test (endIdle with a later clock), never by a timer
  ({ server, close: stop } = await startOfflineServer('reopen', { responsePorts: ports, idleSweepMs: 24 * HOUR }));
  site = (await server.store.sites.getByKey('demo'))!;
});

afterAll(async () => {
  await stop();
});

async function jobsSettled(): Promise<void> {
  for (;;) {
    const counts = await server.store.jobs.counts();
    if (counts.pending === 0 && counts.running === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function startNps(): Promise<{ visitor: Visitor; token: string; conversationId: string }> {
  const { visitor, ack: hello } = await server.service.hello(site, undefined, { locale: 'en' });
  const started = await server.service.start(site, visitor, { flowId: 'nps', restart: false });
  await server.service.idle();
  return { visitor, token: hello.visitorToken, conversationId: started.conversation.id };
}

const send = (visitor: Visitor, conversationId: string, clientId: string, text: string) =>
  server.service.sendVisitorMessage(site, visitor, { conversationId, clientId, text });

/** ends every open conversation as the idle sweeper would, two hours from now */
const sweepLater = () => server.service.endIdle(Date.now() + 2 * HOUR);

describe('a visitor reply to a conversation that ended for inactivity', () => {
  it('reopens it once, the bot carries on from where it stopped, admins see it open again', async () => {
    const { visitor, token, conversationId } = await startNps();
    await send(visitor, conversationId, 'c-score', '3');
    await server.service.idle();
    const asked = (await server.store.messages.list(conversationId)).at(-1)!;
    expect(asked.author).toBe('bot');
    expect(await sweepLater()).toBeGreaterThanOrEqual(1);
    expect(await server.store.conversations.get(conversationId)).toMatchObject({ status: 'ended', endReason: 'idle' });

    const updates: { status: string; endedAt: number | null }[] = [];
    const onUpdated = (e: { conversationId: string; conversation: { status: string; endedAt: number | null } }) => {
      if (e.conversationId === conversationId) updates.push({ status: e.conversation.status, endedAt: e.conversation.endedAt });
    };
    server.bus.on('conversation:updated', onUpdated);
    try {
      const ack = await send(visitor, conversationId, 'c-late', 'The parcel came two weeks late and the box was crushed.');
      expect(ack.duplicate).toBe(false);
      expect(ack.message).toMatchObject({ author: 'visitor', clientId: 'c-late', seq: asked.seq + 1 });
      expect(updates).toEqual([{ status: 'open', endedAt: null }]);
      expect(await server.store.conversations.get(conversationId)).toMatchObject({ status: 'open', endedAt: null, endReason: null });

      // the offline outbox resends after a lost ack: the same message, once
      const again = await send(visitor, conversationId, 'c-late', 'The parcel came two weeks late and the box was crushed.');
      expect(again).toEqual({ message: ack.message, duplicate: true });
      await server.service.idle();
    } finally {
      server.bus.off('conversation:updated', onUpdated);
    }
    const messages = await server.store.messages.list(conversationId);
    expect(messages.filter((m) => m.clientId === 'c-late')).toHaveLength(1);
    // the survey went on from its saved state: the bot answered after the reply, and did not greet anew
    const after = messages.filter((m) => m.seq > ack(messages).seq);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((m) => m.author === 'bot')).toBe(true);
    expect(after.map((m) => m.text).join(' ')).toContain('How satisfied were you with the delivery');
    expect(messages.filter((m) => m.author === 'bot' && m.text.startsWith('Hi! Could you spare a minute'))).toHaveLength(1);
    expect(messages.filter((m) => m.text === 'How likely are you to recommend Northwind Goods to a friend or colleague?')).toHaveLength(1);
    expect((await server.store.answers.list(conversationId)).map((a) => a.questionId)).toEqual(['nps', 'fix_first']);
    // a reload sees it open, with the whole transcript
    const hello = await server.service.hello(site, token, {});
    expect(hello.ack.conversation).toMatchObject({ id: conversationId, status: 'open', endedAt: null });
    expect(hello.ack.messages).toEqual(messages);
  });

  it('stays refused when the visitor or an agent ended it', async () => {
    const { visitor, conversationId } = await startNps();
    await server.service.endByVisitor(site, visitor, { conversationId });
    await expect(send(visitor, conversationId, 'c-after-end', 'one more thing')).rejects.toMatchObject({ code: 'conversation_ended' });
    expect(await server.store.conversations.get(conversationId)).toMatchObject({ status: 'ended', endReason: 'visitor' });

    const second = await startNps();
    await server.service.end(second.conversationId, 'agent');
    await expect(send(second.visitor, second.conversationId, 'c-agent', 'hello?')).rejects.toMatchObject({ code: 'conversation_ended' });
    expect((await server.store.messages.list(second.conversationId)).some((m) => m.clientId === 'c-agent')).toBe(false);
  });

  it('analyses the whole transcript again when it ends again: one record, facts updated, a rule fires once', async () => {
    // a rule the first analysis already matches (a low score) and must not fire a second time
    const lowScore = await server.store.respond.rules.create(site.id, {
      name: 'Low score seen',
      enabled: true,
      match: 'all',
      conditions: [{ type: 'nps', categories: ['detractor'] }],
      actions: [{ type: 'add_tags', tags: ['low-score'] }],
    });
    const { visitor, conversationId } = await startNps();
    await send(visitor, conversationId, 'a-score', '2');
    await server.service.idle();
    await sweepLater();
    await jobsSettled();
    const first = (await server.store.extractions.get(conversationId))!;
    expect(first.npsCategory).toBe('detractor');
    expect(first.expectations.filter((x) => x.status === 'unmet')).toEqual([]);
    const firedFirst = await server.store.respond.rules.firings(conversationId);
    expect(firedFirst.map((f) => f.ruleId)).toContain(lowScore.id);
    expect(firedFirst.map((f) => f.ruleName)).not.toContain('Detractor with an unmet expectation: call back within a day');

    // back after the timeout: the reply reopens it, the visitor then ends it
    await send(visitor, conversationId, 'a-why', 'I expected the parcel within 3 days, it took two weeks to arrive.');
    await server.service.idle();
    const c = await server.store.conversations.get(conversationId);
    if (c?.status === 'open') await server.service.endByVisitor(site, visitor, { conversationId });
    await jobsSettled();

    const second = (await server.store.extractions.get(conversationId))!;
    expect(second.createdAt).toBeGreaterThan(first.createdAt);
    expect(second.expectations.some((x) => x.status === 'unmet')).toBe(true);
    expect(await server.store.extractions.count()).toBeGreaterThan(0);
    const rows = server.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM extractions WHERE conversation_id = ?').get(conversationId);
    expect(rows?.n).toBe(1);
    // insights: the conversation's facts follow the new record
    const facts = server.db
      .prepare<[string], { unmet_any: number; n: number }>('SELECT unmet_any, count(*) OVER () AS n FROM insight_facts WHERE conversation_id = ?')
      .get(conversationId);
    expect(facts).toEqual({ unmet_any: 1, n: 1 });

    const fired = await server.store.respond.rules.firings(conversationId);
    expect(fired.filter((f) => f.ruleId === lowScore.id)).toHaveLength(1);
    expect(fired.map((f) => f.ruleName)).toContain('Detractor with an unmet expectation: call back within a day');
  });
});

function ack(messages: { clientId: string | null; seq: number }[]) {
  return messages.find((m) => m.clientId === 'c-late')!;
}

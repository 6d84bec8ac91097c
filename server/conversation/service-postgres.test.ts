/**
 * The visitor-message rules on PostgreSQL, where a message to the visitor's open conversation is
 * one statement and a batch is written without savepoints (written again with them when an item
 * fails): acked after the commit, resends answered as the stored message, gapless seqs, ended and
 * idle-reopen rules, one failing message not sinking the others.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { createLogger } from '../logger.ts';
import { createStore } from '../store/index.ts';
import { countingSql, useEngine } from '../store/test-helpers.ts';
import { ConversationBus } from './events.ts';
import { createFakeEngine, TEST_FLOW } from './fake-engine.ts';
import { createConversationService } from './service.ts';

/** fault injection in this test's own database: PostgreSQL refuses one message text, as it would a bad row */
const REFUSED = 'refused by the database';
const REFUSE_TRIGGER = `
  CREATE FUNCTION refuse_marked_message() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.text = '${REFUSED}' THEN RAISE EXCEPTION 'refused for the test'; END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER refuse_marked_message BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION refuse_marked_message();`;

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err.code;
    if (err instanceof Error) return err.message;
    throw err;
  }
  return 'no error';
}

describe('visitor messages on PostgreSQL', () => {
  const pg = useEngine('postgres');

  async function kit(now: () => number = Date.now) {
    const sql = countingSql((await pg.database()).connect());
    await sql.exec(REFUSE_TRIGGER);
    const store = createStore(sql);
    const site = await store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: ['https://acme.test'], identitySecret: 'secret' });
    await store.flows.upsert(site.id, TEST_FLOW);
    const bus = new ConversationBus();
    const created: string[] = [];
    bus.on('message:created', (e) => void created.push(`${e.message.author}: ${e.message.text}`));
    const updated: string[] = [];
    bus.on('conversation:updated', (e) => void updated.push(e.conversation.status));
    const service = createConversationService({ store, engine: createFakeEngine({}).engine, bus, log: createLogger('silent'), now });
    const newVisitor = async () => (await service.hello(site, undefined, {})).visitor;
    return { sql, store, site, service, created, updated, newVisitor };
  }

  it('a tick of messages to open conversations is one transaction of one statement each, acked after the commit', async () => {
    const k = await kit();
    const visitors = await Promise.all([1, 2, 3].map(() => k.newVisitor()));
    const conversations: { id: string }[] = [];
    for (const v of visitors) {
      const { conversation } = await k.service.start(k.site, v, { restart: false });
      // a person has taken over: no bot turn follows, so only the messages' own statements count
      await k.service.takeOver(conversation.id, { id: 'u1', name: 'Ana' });
      conversations.push(conversation);
    }
    await k.service.idle();
    const before = k.sql.trips();
    const acks = await Promise.all(
      visitors.map((v, i) => k.service.sendVisitorMessage(k.site, v, { conversationId: conversations[i]!.id, clientId: `c-00000${i}`, text: `hi ${i}` })),
    );
    expect(k.sql.log.slice(before)).toHaveLength(2 + 3);
    expect(acks.map((a) => [a.duplicate, a.message.seq])).toEqual([
      [false, 4],
      [false, 4],
      [false, 4],
    ]);
    for (const [i, c] of conversations.entries()) expect((await k.store.messages.list(c.id)).at(-1)?.text).toBe(`hi ${i}`);
  });

  it('resends, someone else’s conversation, an ended one and one ended for inactivity', async () => {
    let t = 1_000_000;
    const k = await kit(() => t);
    const alice = await k.newVisitor();
    const mallory = await k.newVisitor();
    const { conversation } = await k.service.start(k.site, alice, { restart: false });
    const id = conversation.id;
    await k.service.idle();
    const send = (v: typeof alice, clientId: string, text: string) => k.service.sendVisitorMessage(k.site, v, { conversationId: id, clientId, text });

    // two copies in one tick and one later: one row, the copies answered as it
    const [first, copy] = await Promise.all([send(alice, 'c-000001', '9'), send(alice, 'c-000001', '9')]);
    expect([first.duplicate, copy.duplicate]).toEqual([false, true]);
    expect(copy.message).toEqual(first.message);
    await k.service.idle();
    expect((await send(alice, 'c-000001', '9')).message).toEqual(first.message);
    expect(await codeOf(send(mallory, 'c-000002', 'hi'))).toBe('not_found');

    // ended for inactivity: the visitor's reply opens it again and the bot carries on
    t += 31 * 60_000;
    expect(await k.service.endIdle()).toBe(1);
    k.updated.length = 0;
    const late = await send(alice, 'c-000003', 'fast delivery');
    expect(late.duplicate).toBe(false);
    expect(k.updated).toEqual(['open']);
    await k.service.idle();
    expect(await k.store.conversations.get(id)).toMatchObject({ status: 'ended', endReason: 'completed' });
    const seqs = (await k.store.messages.list(id)).map((m) => m.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));

    // ended otherwise: a resend is still answered, anything new refused
    expect((await send(alice, 'c-000003', 'fast delivery')).message).toEqual(late.message);
    expect(await codeOf(send(alice, 'c-000004', 'more'))).toBe('conversation_ended');
  });

  it('a message the database refuses fails alone; the others in its tick are stored and acked', async () => {
    const k = await kit();
    const visitors = await Promise.all([1, 2, 3].map(() => k.newVisitor()));
    const ids: string[] = [];
    for (const v of visitors) ids.push((await k.service.start(k.site, v, { restart: false })).conversation.id);
    await k.service.idle();
    const settled = await Promise.allSettled(
      visitors.map((v, i) =>
        // a trigger refuses that text: the statement fails and aborts the transaction
        k.service.sendVisitorMessage(k.site, v, { conversationId: ids[i]!, clientId: `c-00001${i}`, text: i === 1 ? REFUSED : `fine ${i}` }),
      ),
    );
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    await k.service.idle();
    expect((await k.store.messages.list(ids[0]!)).map((m) => m.text)).toContain('fine 0');
    expect((await k.store.messages.list(ids[2]!)).map((m) => m.text)).toContain('fine 2');
    expect((await k.store.messages.list(ids[1]!)).filter((m) => m.author === 'visitor')).toEqual([]);
    // and that visitor can go on
    const next = await k.service.sendVisitorMessage(k.site, visitors[1]!, { conversationId: ids[1]!, clientId: 'c-000020', text: '7' });
    expect(next).toMatchObject({ duplicate: false, message: { seq: 3, text: '7' } });
    await k.service.idle();
  });
});

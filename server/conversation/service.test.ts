import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { userHash } from './identity.ts';
import { APOLOGY } from './service.ts';
import { serviceKit, TEST_SECRET } from './service-test-kit.ts';

const texts = (ms: { author: string; text: string }[]) => ms.map((m) => `${m.author}: ${m.text}`);

async function codeOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return 'no error';
}

describe('conversation service', () => {
  it('runs the survey to its end: greeting, NPS, reason, thanks, one extract job', async () => {
    const k = await serviceKit();
    const visitor = await k.newVisitor();
    const started = await k.service.start(k.site, visitor, { restart: false });
    expect(started.messages[1]?.reply?.options).toHaveLength(11);
    const id = started.conversation.id;

    const sent = await k.service.sendVisitorMessage(k.site, visitor, { conversationId: id, clientId: 'c-000001', text: '9', value: '9' });
    expect(sent).toMatchObject({ duplicate: false, message: { author: 'visitor', text: '9', seq: 3 } });
    await k.service.idle();
    await k.service.sendVisitorMessage(k.site, visitor, { conversationId: id, clientId: 'c-000002', text: 'fast delivery' });
    await k.service.idle();

    expect(texts(await k.store.messages.list(id))).toEqual([
      'bot: Hi! Two quick questions.',
      'bot: How likely are you to recommend us?',
      'visitor: 9',
      'bot: What is the main reason for your score?',
      'visitor: fast delivery',
      'bot: Thanks for your feedback!',
    ]);
    expect((await k.store.answers.list(id)).map((a) => [a.questionId, a.value])).toEqual([
      ['score', 9],
      ['why', 'fast delivery'],
    ]);
    expect(await k.store.conversations.get(id)).toMatchObject({ status: 'ended', endReason: 'completed' });
    expect(k.extractJobs(id)).toBe(1);
    expect(k.events.filter((e) => e.name === 'conversation:ended')).toHaveLength(1);
    // ending again (visitor clicks end after completion) changes nothing
    await k.service.endByVisitor(k.site, visitor, { conversationId: id });
    expect(k.extractJobs(id)).toBe(1);
    expect(k.events.filter((e) => e.name === 'conversation:ended')).toHaveLength(1);
  });

  it('a message the database refuses fails alone; the others in its tick are stored and acked', async () => {
    const k = await serviceKit();
    k.exec(`CREATE TRIGGER refuse_marked_message BEFORE INSERT ON messages WHEN NEW.text = 'refused by the database'
      BEGIN SELECT RAISE(ABORT, 'refused for the test'); END`);
    const visitors = await Promise.all([1, 2, 3].map(() => k.newVisitor()));
    const ids: string[] = [];
    for (const v of visitors) ids.push((await k.service.start(k.site, v, { restart: false })).conversation.id);
    await k.service.idle();
    // one tick, one batch: written without savepoints, then again with them once one item failed
    const settled = await Promise.allSettled(
      visitors.map((v, i) =>
        k.service.sendVisitorMessage(k.site, v, { conversationId: ids[i]!, clientId: `c-00001${i}`, text: i === 1 ? 'refused by the database' : '9', value: '9' }),
      ),
    );
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    await k.service.idle();
    const visitorTexts = async (id: string) => (await k.store.messages.list(id)).filter((m) => m.author === 'visitor').map((m) => [m.seq, m.text]);
    expect([await visitorTexts(ids[0]!), await visitorTexts(ids[1]!), await visitorTexts(ids[2]!)]).toEqual([[[3, '9']], [], [[3, '9']]]);
    // the bot answered the two stored messages, and the third visitor can go on
    expect(texts(await k.store.messages.list(ids[0]!)).at(-1)).toBe('bot: What is the main reason for your score?');
    const next = await k.service.sendVisitorMessage(k.site, visitors[1]!, { conversationId: ids[1]!, clientId: 'c-000020', text: '7', value: '7' });
    expect(next).toMatchObject({ duplicate: false, message: { seq: 3, text: '7' } });
    await k.service.idle();
    expect(texts(await k.store.messages.list(ids[1]!)).at(-1)).toBe('bot: What is the main reason for your score?');
  });

  it('resumes the open conversation, and restart ends it and begins a new one', async () => {
    const k = await serviceKit();
    const visitor = await k.newVisitor();
    const first = await k.service.start(k.site, visitor, { restart: false });
    const again = await k.service.start(k.site, visitor, { restart: false });
    expect(again.conversation.id).toBe(first.conversation.id);
    expect(again.messages).toHaveLength(2);
    const fresh = await k.service.start(k.site, visitor, { restart: true });
    expect(fresh.conversation.id).not.toBe(first.conversation.id);
    expect((await k.store.conversations.get(first.conversation.id))?.status).toBe('ended');
    expect(k.extractJobs(first.conversation.id)).toBe(1);
    expect(await codeOf(() => k.service.start(k.site, visitor, { flowId: 'nope', restart: false }))).toBe('not_found');
  });

  it('a slow opening turn does not hold the start ack: the greeting follows on the bus', async () => {
    let release: () => void = () => undefined;
    const k = await serviceKit({ gate: () => new Promise<void>((r) => (release = r)), openingWaitMs: 30 });
    const visitor = await k.newVisitor();
    const started = await k.service.start(k.site, visitor, { restart: false });
    expect(started.conversation.status).toBe('open');
    expect(started.messages).toEqual([]);
    release();
    await k.service.idle();
    const pushed = k.events.filter((e) => e.name === 'message:created' && e.conversationId === started.conversation.id);
    expect(pushed).toHaveLength(2);
  });

  it('two starts at once open one conversation', async () => {
    const k = await serviceKit();
    const visitor = await k.newVisitor();
    const [a, b] = await Promise.all([k.service.start(k.site, visitor, { restart: false }), k.service.start(k.site, visitor, { restart: false })]);
    expect(a.conversation.id).toBe(b.conversation.id);
    expect(b.messages).toHaveLength(2);
  });

  it('hello with the token from an earlier hello returns the same visitor and the open conversation', async () => {
    const k = await serviceKit();
    const first = await k.service.hello(k.site, undefined, { locale: 'de' });
    const started = await k.service.start(k.site, first.visitor, { restart: false });
    const back = await k.service.hello(k.site, first.ack.visitorToken, {});
    expect(back.ack.visitorId).toBe(first.ack.visitorId);
    expect(back.ack.conversation?.id).toBe(started.conversation.id);
    expect(back.ack.messages).toHaveLength(2);
    expect(back.ack.site).toMatchObject({ name: 'Acme', humansAvailable: true, humansBackAt: null });
    const stranger = await k.service.hello(k.site, 'x'.repeat(43), {});
    expect(stranger.ack.visitorId).not.toBe(first.ack.visitorId);
  });

  it('runs one engine turn at a time per conversation', async () => {
    let release: () => void = () => undefined;
    let gateOpen = false;
    const k = await serviceKit({ gate: () => (gateOpen ? Promise.resolve() : new Promise<void>((r) => (release = r))) });
    const visitor = await k.newVisitor();
    gateOpen = true;
    const { conversation } = await k.service.start(k.site, visitor, { restart: false });
    gateOpen = false;
    // sent in the same tick: one group commit, still two turns one after the other
    await Promise.all([
      k.service.sendVisitorMessage(k.site, visitor, { conversationId: conversation.id, clientId: 'c-000001', text: 'hmm' }),
      k.service.sendVisitorMessage(k.site, visitor, { conversationId: conversation.id, clientId: 'c-000002', text: '7' }),
    ]);
    await new Promise((r) => setTimeout(r, 20));
    gateOpen = true;
    release();
    await k.service.idle();
    expect(k.fake.stats.maxConcurrent).toBe(1);
    expect(texts(await k.store.messages.list(conversation.id)).slice(2)).toEqual([
      'visitor: hmm',
      'visitor: 7',
      'bot: Please pick a number from 0 to 10.',
      'bot: What is the main reason for your score?',
    ]);
  });

  it('when the engine throws, the visitor message stays and the bot apologises', async () => {
    const k = await serviceKit({ failOn: 'boom' });
    const visitor = await k.newVisitor();
    const { conversation } = await k.service.start(k.site, visitor, { restart: false });
    await k.service.sendVisitorMessage(k.site, visitor, { conversationId: conversation.id, clientId: 'c-000001', text: 'boom' });
    await k.service.idle();
    expect(texts(await k.store.messages.list(conversation.id)).slice(2)).toEqual(['visitor: boom', `bot: ${APOLOGY}`]);
    expect((await k.store.conversations.get(conversation.id))?.status).toBe('open');
    // the state was kept, so the survey carries on from the same question
    await k.service.sendVisitorMessage(k.site, visitor, { conversationId: conversation.id, clientId: 'c-000002', text: '8' });
    await k.service.idle();
    expect((await k.store.messages.list(conversation.id)).at(-1)?.text).toBe('What is the main reason for your score?');
  });

  it('an engine that hangs or returns something unstorable still ends in an apology, with typing turned off', async () => {
    const k = await serviceKit({ hangOn: 'hang', badAnswerOn: 'bad', turnTimeoutMs: 50 });
    const visitor = await k.newVisitor();
    const { conversation } = await k.service.start(k.site, visitor, { restart: false });
    await k.service.sendVisitorMessage(k.site, visitor, { conversationId: conversation.id, clientId: 'c-000001', text: 'hang' });
    await k.service.sendVisitorMessage(k.site, visitor, { conversationId: conversation.id, clientId: 'c-000002', text: 'bad' });
    await k.service.idle();
    expect(texts(await k.store.messages.list(conversation.id)).slice(2)).toEqual(['visitor: hang', 'visitor: bad', `bot: ${APOLOGY}`, `bot: ${APOLOGY}`]);
    expect((await k.store.conversations.get(conversation.id))?.state).toEqual({ step: 0 });
    expect(await k.store.answers.list(conversation.id)).toEqual([]);
    const typing = k.events.filter((e) => e.name === 'typing:changed').map((e) => (e.payload as { typing: boolean }).typing);
    expect(typing).toEqual([true, false, true, false, true, false]);
  });

  it("refuses someone else's conversation, over-long text and writing to an ended conversation", async () => {
    const k = await serviceKit();
    const alice = await k.newVisitor();
    const mallory = await k.newVisitor();
    const { conversation } = await k.service.start(k.site, alice, { restart: false });
    const id = conversation.id;
    expect(await codeOf(() => k.service.sendVisitorMessage(k.site, mallory, { conversationId: id, clientId: 'c-000001', text: 'hi' }))).toBe('not_found');
    expect(await codeOf(async () => (await k.service.messagesSince(k.site, mallory, { conversationId: id, afterSeq: 0 })))).toBe('not_found');
    expect(await codeOf(async () => (await k.service.endByVisitor(k.site, mallory, { conversationId: id })))).toBe('not_found');
    expect(await codeOf(() => k.service.sendVisitorMessage(k.site, alice, { conversationId: id, clientId: 'c-000002', text: 'x'.repeat(2001) }))).toBe(
      'message_too_long',
    );
    await k.service.sendVisitorMessage(k.site, alice, { conversationId: id, clientId: 'c-000003', text: 'hello' });
    await k.service.endByVisitor(k.site, alice, { conversationId: id });
    const resend = await k.service.sendVisitorMessage(k.site, alice, { conversationId: id, clientId: 'c-000003', text: 'hello' });
    expect(resend.duplicate).toBe(true);
    expect(await codeOf(() => k.service.sendVisitorMessage(k.site, alice, { conversationId: id, clientId: 'c-000004', text: 'more' }))).toBe(
      'conversation_ended',
    );
    await k.service.idle();
  });

  it('identify verifies a matching userHash and refuses a wrong one', async () => {
    const k = await serviceKit();
    const visitor = await k.newVisitor();
    expect(await k.service.identify(k.site, visitor, { id: 'user-42', userHash: userHash(TEST_SECRET, 'user-42') })).toEqual({ verified: true });
    expect(await k.store.visitors.get(visitor.id)).toMatchObject({ externalId: 'user-42', verified: true });
    await expect(k.service.identify(k.site, visitor, { id: 'user-43', userHash: userHash(TEST_SECRET, 'user-42') })).rejects.toThrow(AppError);
    expect(await k.service.identify(k.site, visitor, { id: 'user-44', name: 'Ann' })).toEqual({ verified: false });
  });

  it('ends conversations idle past the site timeout, each once', async () => {
    let t = 1_000_000;
    const k = await serviceKit({ now: () => t });
    const visitor = await k.newVisitor();
    const { conversation } = await k.service.start(k.site, visitor, { restart: false });
    t += 29 * 60_000;
    expect(await k.service.endIdle()).toBe(0);
    t += 2 * 60_000;
    expect(await k.service.endIdle()).toBe(1);
    expect(await k.service.endIdle()).toBe(0);
    expect(await k.store.conversations.get(conversation.id)).toMatchObject({ status: 'ended', endReason: 'idle' });
    expect(k.extractJobs(conversation.id)).toBe(1);
  });

  it('while a person has taken over, the bot is quiet; hand back brings it back', async () => {
    const k = await serviceKit();
    const visitor = await k.newVisitor();
    const { conversation } = await k.service.start(k.site, visitor, { restart: false });
    const id = conversation.id;
    const ana = { id: 'u1', name: 'Ana' };
    expect(await k.service.takeOver(id, ana)).toMatchObject({ mode: 'human', agentName: 'Ana' });
    expect(await codeOf(async () => (await k.service.takeOver(id, { id: 'u2', name: 'Bo' })))).toBe('conflict');
    expect(await codeOf(async () => (await k.service.sendAgentMessage(id, { id: 'u2', name: 'Bo' }, 'hi', 'a-000001')))).toBe('conflict');
    await k.service.sendVisitorMessage(k.site, visitor, { conversationId: id, clientId: 'c-000001', text: '5' });
    await k.service.sendAgentMessage(id, ana, 'Hi, Ana here. Why a 5?', 'a-000002');
    await k.service.idle();
    expect(await k.service.handBack(id, ana)).toMatchObject({ mode: 'bot', agentName: null });
    const tail = (await k.store.messages.list(id)).slice(2);
    expect(tail.map((m) => [m.author, m.authorName, m.text])).toEqual([
      ['system', null, 'Ana joined the conversation.'],
      ['visitor', null, '5'],
      ['agent', 'Ana', 'Hi, Ana here. Why a 5?'],
      ['system', null, 'Ana left; the assistant is back.'],
    ]);
    expect(k.events.filter((e) => e.name === 'conversation:updated')).toHaveLength(2);
  });

  it('messages sent in one tick by many visitors are each acked only once committed, and a resend in the same tick is not stored twice', async () => {
    const k = await serviceKit();
    const visitors = await Promise.all(Array.from({ length: 5 }, () => k.newVisitor()));
    const ids = await Promise.all(visitors.map(async (v) => (await k.service.start(k.site, v, { restart: false })).conversation.id));
    const sends = visitors.flatMap((v, i) =>
      ['c-000001', 'c-000002', 'c-000001'].map((clientId) =>
        k.service.sendVisitorMessage(k.site, v, { conversationId: ids[i]!, clientId, text: `hi ${clientId}` }).then(async (ack) => ({
          ack,
          // what another connection would read the moment this ack goes out
          stored: (await k.store.messages.byClientId(ids[i]!, clientId)),
        })),
      ),
    );
    const acks = await Promise.all(sends);
    for (const { ack, stored } of acks) expect(stored).toEqual(ack.message);
    expect(acks.map((a) => a.ack.duplicate)).toEqual(visitors.flatMap(() => [false, false, true]));
    await k.service.idle();
    for (const id of ids) {
      const visitorTexts = (await k.store.messages.list(id)).filter((m) => m.author === 'visitor').map((m) => m.text);
      expect(visitorTexts).toEqual(['hi c-000001', 'hi c-000002']);
    }
  });

  it('when a batch cannot be committed every sender in it gets an error, and resending stores each message once', async () => {
    const k = await serviceKit();
    const visitor = await k.newVisitor();
    const { conversation } = await k.service.start(k.site, visitor, { restart: false });
    const id = conversation.id;
    const realTx = k.store.tx.bind(k.store);
    k.store.tx = <T>(fn: () => Promise<T> | T): Promise<T> => {
      const outer = !k.store.inTx();
      // the outer transaction fails after its writes, as a full disk would at commit
      return realTx(async () => {
        const r = await fn();
        if (outer) throw new Error('database or disk is full');
        return r;
      });
    };
    const send = (clientId: string) => k.service.sendVisitorMessage(k.site, visitor, { conversationId: id, clientId, text: clientId });
    const failed = await Promise.allSettled(['c-000001', 'c-000002', 'c-000003'].map(send));
    expect(failed.map((f) => f.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect((await k.store.messages.list(id)).filter((m) => m.author === 'visitor')).toEqual([]);
    expect(k.events.filter((e) => e.name === 'message:created' && (e.payload as { message: { author: string } }).message.author === 'visitor')).toEqual([]);
    k.store.tx = realTx;
    const resent = await Promise.all(['c-000001', 'c-000002', 'c-000003', 'c-000002'].map(send));
    expect(resent.map((r) => r.duplicate)).toEqual([false, false, false, true]);
    await k.service.idle();
    expect((await k.store.messages.list(id)).filter((m) => m.author === 'visitor').map((m) => m.text)).toEqual(['c-000001', 'c-000002', 'c-000003']);
  });
});

import { describe, expect, it } from 'vitest';
import type { Message } from '../../shared/message.ts';
import { APOLOGY } from './bot-turns.ts';
import { serviceKit } from './service-test-kit.ts';

type Kit = Awaited<ReturnType<typeof serviceKit>>;

/** counts the transactions that reach the disk (nested calls are savepoints, not commits) */
function countCommits(k: Kit): () => number {
  const tx = k.store.tx.bind(k.store);
  let commits = 0;
  k.store.tx = async <T>(fn: () => Promise<T> | T): Promise<T> => {
    const outer = !k.store.inTx();
    try {
      return await tx(fn);
    } finally {
      if (outer) commits++;
    }
  };
  return () => commits;
}

async function openConversations(k: Kit, n: number) {
  const visitors = await Promise.all(Array.from({ length: n }, () => k.newVisitor()));
  const ids = await Promise.all(visitors.map(async (v) => (await k.service.start(k.site, v, { restart: false })).conversation.id));
  await k.service.idle();
  return visitors.map((v, i) => ({ visitor: v, id: ids[i]! }));
}

describe('bot turns', () => {
  it('replies of turns that finish together share one commit, each announced after the ack it answers and in seq order', async () => {
    const k = await serviceKit();
    const open = await openConversations(k, 8);
    const commits = countCommits(k);
    const seen: string[] = [];
    k.bus.on('message:created', (e) => seen.push(`created:${e.conversationId}:${e.message.seq}:${e.message.author}`));
    await Promise.all(
      open.map(({ visitor, id }) =>
        k.service.sendVisitorMessage(k.site, visitor, { conversationId: id, clientId: `c-${id}`, text: '9' }).then((ack) => seen.push(`ack:${id}:${ack.message.seq}`)),
      ),
    );
    await k.service.idle();
    // one commit for the eight visitor messages, one for the eight bot replies (not one per turn)
    expect(commits()).toBe(2);
    for (const { id } of open) {
      const mine = seen.filter((s) => s.includes(`:${id}:`));
      const ack = mine.findIndex((s) => s.startsWith('ack:'));
      const firstBot = mine.findIndex((s) => s.endsWith(':bot'));
      expect(ack).toBeGreaterThanOrEqual(0);
      expect(firstBot).toBeGreaterThan(ack);
      const seqs = mine.filter((s) => s.startsWith('created:')).map((s) => Number(s.split(':')[2]));
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      const stored = await k.store.messages.list(id);
      expect(stored.map((m: Message) => m.seq)).toEqual(stored.map((_, i) => i + 1));
      expect(stored.at(-1)?.author).toBe('bot');
    }
  });

  it('a turn whose result cannot be stored apologises alone; the other turns of its batch keep their replies', async () => {
    const k = await serviceKit({ badAnswerOn: 'bad' });
    const [a, b] = await openConversations(k, 2);
    await Promise.all([
      k.service.sendVisitorMessage(k.site, a!.visitor, { conversationId: a!.id, clientId: 'c-a', text: 'bad' }),
      k.service.sendVisitorMessage(k.site, b!.visitor, { conversationId: b!.id, clientId: 'c-b', text: '9' }),
    ]);
    await k.service.idle();
    const last = async (id: string) => (await k.store.messages.list(id)).at(-1);
    expect((await last(a!.id))?.text).toBe(APOLOGY);
    expect((await k.store.messages.list(a!.id)).map((m) => m.text)).toContain('bad');
    expect((await last(b!.id))?.author).toBe('bot');
    expect((await last(b!.id))?.text).not.toBe(APOLOGY);
  });

  it('a turn that leaves the state as it was keeps it (the write is skipped), and a changed state is stored', async () => {
    const k = await serviceKit();
    const [a] = await openConversations(k, 1);
    const stateBefore = (await k.store.conversations.get(a!.id))?.state;
    await k.service.sendVisitorMessage(k.site, a!.visitor, { conversationId: a!.id, clientId: 'c-1', text: 'not a number' });
    await k.service.idle();
    // the fake engine re-asks without moving on: same state, the re-ask still arrives
    expect((await k.store.messages.list(a!.id)).at(-1)?.text).toBe('Please pick a number from 0 to 10.');
    expect((await k.store.conversations.get(a!.id))?.state).toEqual(stateBefore);
    await k.service.sendVisitorMessage(k.site, a!.visitor, { conversationId: a!.id, clientId: 'c-2', text: '8' });
    await k.service.idle();
    expect((await k.store.conversations.get(a!.id))?.state).not.toEqual(stateBefore);
  });
});

/** the bot's typing events for one conversation, in order */
const typing = (k: Kit, id: string) =>
  k.events.filter((e) => e.name === 'typing:changed' && e.conversationId === id && (e.payload as { author: string }).author === 'bot').map((e) => (e.payload as { typing: boolean }).typing);

/** resolves once the fake engine is waiting at its gate */
async function engineHolds(held: () => boolean): Promise<void> {
  while (!held()) await new Promise((r) => setImmediate(r));
}

describe('bot turns that store nothing', () => {
  it('a turn with nothing to say opens no transaction and reads no history or answers; typing still goes on and off', async () => {
    const k = await serviceKit({ quietOn: 'hmm' });
    const [a] = await openConversations(k, 1);
    const stateBefore = (await k.store.conversations.get(a!.id))?.state;
    const commits = countCommits(k);
    const reads = { recent: 0, answers: 0 };
    const { recent } = k.store.messages;
    const { list } = k.store.answers;
    k.store.messages.recent = (...args) => (reads.recent++, recent(...args));
    k.store.answers.list = (...args) => (reads.answers++, list(...args));
    const typed = typing(k, a!.id).length;
    await k.service.sendVisitorMessage(k.site, a!.visitor, { conversationId: a!.id, clientId: 'c-1', text: 'hmm' });
    await k.service.idle();
    // the visitor message's commit only
    expect(commits()).toBe(1);
    expect(reads).toEqual({ recent: 0, answers: 0 });
    expect((await k.store.messages.list(a!.id)).at(-1)).toMatchObject({ author: 'visitor', text: 'hmm' });
    expect(typing(k, a!.id).slice(typed)).toEqual([true, false]);
    expect((await k.store.conversations.get(a!.id))?.state).toEqual(stateBefore);
    // the conversation carries on as before
    await k.service.sendVisitorMessage(k.site, a!.visitor, { conversationId: a!.id, clientId: 'c-2', text: '8' });
    await k.service.idle();
    expect((await k.store.messages.list(a!.id)).at(-1)?.text).toBe('What is the main reason for your score?');
  });

  it('a turn with nothing to say that moves the state on still stores the state', async () => {
    const k = await serviceKit({ quietMoveOn: 'later' });
    const [a] = await openConversations(k, 1);
    const commits = countCommits(k);
    await k.service.sendVisitorMessage(k.site, a!.visitor, { conversationId: a!.id, clientId: 'c-1', text: 'later' });
    await k.service.idle();
    expect(commits()).toBe(2);
    expect((await k.store.conversations.get(a!.id))?.state).toEqual({ step: 5 });
    expect((await k.store.messages.list(a!.id)).at(-1)).toMatchObject({ author: 'visitor', text: 'later' });
  });
});

describe('bot turns and a person taking over', () => {
  const ana = { id: 'u1', name: 'Ana' };

  it('a conversation taken over while the engine thinks gets no bot reply and keeps its state', async () => {
    let release: (() => void) | null = null;
    let hold = false;
    const k = await serviceKit({ gate: () => (hold ? new Promise<void>((r) => (release = r)) : Promise.resolve()) });
    const [a] = await openConversations(k, 1);
    const stateBefore = (await k.store.conversations.get(a!.id))?.state;
    hold = true;
    await k.service.sendVisitorMessage(k.site, a!.visitor, { conversationId: a!.id, clientId: 'c-1', text: '8' });
    await engineHolds(() => release !== null);
    await k.service.takeOver(a!.id, ana);
    release!();
    await k.service.idle();
    const tail = (await k.store.messages.list(a!.id)).slice(-2);
    expect(tail.map((m) => [m.author, m.text])).toEqual([
      ['visitor', '8'],
      ['system', 'Ana joined the conversation.'],
    ]);
    expect((await k.store.conversations.get(a!.id))?.state).toEqual(stateBefore);
    expect(typing(k, a!.id).at(-1)).toBe(false);
  });

  it('a message whose turn waits behind another is not put to the engine once a person has taken over', async () => {
    let release: (() => void) | null = null;
    let hold = false;
    const k = await serviceKit({ gate: () => (hold ? new Promise<void>((r) => (release = r)) : Promise.resolve()) });
    const [a] = await openConversations(k, 1);
    hold = true;
    await k.service.sendVisitorMessage(k.site, a!.visitor, { conversationId: a!.id, clientId: 'c-1', text: 'hmm' });
    await engineHolds(() => release !== null);
    hold = false;
    // committed while the first turn is still thinking: its turn is queued behind it
    await k.service.sendVisitorMessage(k.site, a!.visitor, { conversationId: a!.id, clientId: 'c-2', text: '8' });
    const typed = typing(k, a!.id).length;
    const turns = k.fake.stats.turns;
    await k.service.takeOver(a!.id, ana);
    release!();
    await k.service.idle();
    // the first turn finishes (and is not stored); the second never reaches the engine
    expect(k.fake.stats.turns).toBe(turns + 1);
    expect(typing(k, a!.id).slice(typed)).toEqual([false]);
    expect((await k.store.messages.list(a!.id)).filter((m) => m.author === 'bot')).toHaveLength(2);
  });
});

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

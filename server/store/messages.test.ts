import { describe, expect, it } from 'vitest';
import { openDb } from './db.ts';
import { createStore } from './index.ts';
import { ENGINES, useEngine } from './test-helpers.ts';

describe.each(ENGINES)('messages store (%s)', (engine) => {
  const db = useEngine(engine);

  it('numbers messages 1, 2, 3 per conversation and returns those after a seq', async () => {
    const { store, siteId } = await db.withSite();
    const a = await store.conversations.create({ siteId, visitorId: null, flowId: 'nps' });
    const b = await store.conversations.create({ siteId, visitorId: null, flowId: 'nps' });
    await store.messages.append(a.id, { author: 'bot', text: 'hi' });
    await store.messages.append(b.id, { author: 'bot', text: 'hi b' });
    await store.messages.append(a.id, { author: 'visitor', text: 'yo', clientId: 'client-0001' });
    await store.messages.append(a.id, { author: 'bot', text: 'ok', reply: { options: [{ label: '1', value: '1' }], multiple: false, skippable: false } });
    expect((await store.messages.list(a.id)).map((m) => [m.seq, m.text])).toEqual([
      [1, 'hi'],
      [2, 'yo'],
      [3, 'ok'],
    ]);
    expect((await store.messages.since(a.id, 1)).map((m) => m.seq)).toEqual([2, 3]);
    expect(await store.messages.since(a.id, 3)).toEqual([]);
    expect((await store.messages.list(a.id))[2]?.reply?.options).toEqual([{ label: '1', value: '1' }]);
    expect((await store.conversations.get(a.id))?.lastSeq).toBe(3);
  });

  it("a visitor's message goes to their own open conversation only, a resend answered as the stored one", async () => {
    const { store, siteId } = await db.withSite();
    const { visitor } = await store.visitors.create(siteId, null);
    const { visitor: other } = await store.visitors.create(siteId, null);
    const c = await store.conversations.create({ siteId, visitorId: visitor.id, flowId: 'nps' });
    const owner = { siteId, visitorId: visitor.id };
    const first = await store.messages.appendToOpen(c.id, owner, { author: 'visitor', text: 'hello', clientId: 'client-hello' });
    expect(first?.conversation).toEqual({ id: c.id, siteId, visitorId: visitor.id, status: 'open', mode: 'bot', endReason: null });
    expect(first?.appended).toMatchObject({ duplicate: false, message: { seq: 1, text: 'hello', clientId: 'client-hello' } });
    const again = await store.messages.appendToOpen(c.id, owner, { author: 'visitor', text: 'hello (resent)', clientId: 'client-hello' });
    expect(again?.appended).toEqual({ duplicate: true, message: first?.appended.message });
    // someone else's, another site's, a missing or an ended conversation takes nothing
    expect(await store.messages.appendToOpen(c.id, { siteId, visitorId: other.id }, { author: 'visitor', text: 'x', clientId: 'client-x1' })).toBeNull();
    expect(await store.messages.appendToOpen(c.id, { siteId: 'elsewhere', visitorId: visitor.id }, { author: 'visitor', text: 'x', clientId: 'client-x2' })).toBeNull();
    expect(await store.messages.appendToOpen('missing', owner, { author: 'visitor', text: 'x', clientId: 'client-x3' })).toBeNull();
    await store.conversations.end(c.id, 'visitor');
    expect(await store.messages.appendToOpen(c.id, owner, { author: 'visitor', text: 'late', clientId: 'client-late' })).toBeNull();
    expect((await store.messages.list(c.id)).map((m) => m.text)).toEqual(['hello']);
    expect((await store.conversations.get(c.id))?.lastSeq).toBe(1);
  });

  it('a resend after later messages is answered as the original, with its seq, and bumps nothing', async () => {
    const { store, siteId } = await db.withSite();
    const { visitor } = await store.visitors.create(siteId, null);
    const c = await store.conversations.create({ siteId, visitorId: visitor.id, flowId: 'nps' });
    const owner = { siteId, visitorId: visitor.id };
    // as the service writes them: inside a batch's transaction
    const first = await store.tx(() => store.messages.appendToOpen(c.id, owner, { author: 'visitor', text: 'one', clientId: 'client-one' }));
    await store.tx(async () => {
      await store.messages.append(c.id, { author: 'bot', text: 'noted' });
      await store.messages.appendToOpen(c.id, owner, { author: 'visitor', text: 'two', clientId: 'client-two' });
    });
    const again = await store.tx(() => store.messages.appendToOpen(c.id, owner, { author: 'visitor', text: 'one (resent)', clientId: 'client-one' }));
    expect(again?.appended).toEqual({ duplicate: true, message: first?.appended.message });
    expect(again?.appended.message.seq).toBe(1);
    const agent = await store.tx(() => store.messages.append(c.id, { author: 'agent', text: 'hi', clientId: 'client-two' }));
    expect(agent).toMatchObject({ duplicate: true, message: { seq: 3, text: 'two' } });
    expect((await store.messages.list(c.id)).map((m) => [m.seq, m.text])).toEqual([
      [1, 'one'],
      [2, 'noted'],
      [3, 'two'],
    ]);
    expect((await store.conversations.get(c.id))?.lastSeq).toBe(3);
    expect((await store.messages.recent(c.id, 20)).map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('a repeated client id returns the stored message instead of a second row', async () => {
    const { store, siteId } = await db.withSite();
    const c = await store.conversations.create({ siteId, visitorId: null, flowId: 'nps' });
    const first = await store.messages.append(c.id, { author: 'visitor', text: 'hello', clientId: 'same-id-1' });
    const again = await store.messages.append(c.id, { author: 'visitor', text: 'hello (resent)', clientId: 'same-id-1' });
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(again.message).toEqual(first.message);
    expect(await store.messages.list(c.id)).toHaveLength(1);
  });

  it('ingested feedback is searchable like a chat message', async () => {
    const store = await db.store();
    const site = await store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: ['https://acme.test'], identitySecret: 'secret' });
    const item = { siteId: site.id, channel: 'api' as const, source: 'api', author: null, url: null, createdAt: Date.now(), language: 'fr', rating: null, metadata: {}, origin: null };
    await store.feedback.insertMany([
      { ...item, externalId: 'r-1', text: 'Livraison rapide mais emballage abîmé, 3 étoiles' },
      { ...item, externalId: 'r-2', text: 'Remboursement toujours pas reçu après 20 jours' },
    ]);
    expect(await store.admin.reviews.list({ q: 'emballage' }, null, 10)).toHaveLength(1);
    expect(await store.admin.reviews.list({ q: 'rembours' }, null, 10)).toHaveLength(1);
  });

  it('a rolled-back message is never found by a search, a committed one is', async () => {
    const { store, siteId } = await db.withSite();
    const c = await store.conversations.create({ siteId, visitorId: null, flowId: 'support' });
    await store.tx(async () => {
      await store.messages.append(c.id, { author: 'visitor', text: 'Die Rücksendung dauert zu lange', clientId: 'k1' });
      await expect(
        store.tx(async () => {
          await store.messages.append(c.id, { author: 'visitor', text: 'Umtausch storniert', clientId: 'k2' });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
    });
    await expect(
      store.tx(async () => {
        await store.messages.append(c.id, { author: 'visitor', text: 'Gutschein bitte', clientId: 'k3' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const found = async (q: string) => (await store.admin.reviews.list({ q }, null, 10)).length;
    expect([await found('Rücksendung'), await found('storniert'), await found('Gutschein')]).toEqual([1, 0, 0]);
  });

  it('appends to one conversation started side by side inside one transaction all get their own seq', async () => {
    const { store, siteId } = await db.withSite();
    const { visitor } = await store.visitors.create(siteId, null);
    const c = await store.conversations.create({ siteId, visitorId: visitor.id, flowId: 'nps' });
    const owner = { siteId, visitorId: visitor.id };
    const acks = await store.tx(() =>
      Promise.all([
        store.messages.appendToOpen(c.id, owner, { author: 'visitor', text: 'a', clientId: 'client-a' }),
        store.messages.append(c.id, { author: 'bot', text: 'b' }),
        store.messages.appendToOpen(c.id, owner, { author: 'visitor', text: 'a again', clientId: 'client-a' }),
        store.messages.append(c.id, { author: 'agent', text: 'c', clientId: 'client-c' }),
      ]),
    );
    expect(acks.map((a) => (a && 'appended' in a ? a.appended : a)).map((a) => [a?.message.seq, a?.message.text, a?.duplicate])).toEqual([
      [1, 'a', false],
      [2, 'b', false],
      [1, 'a', true],
      [3, 'c', false],
    ]);
    expect((await store.messages.list(c.id)).map((m) => [m.seq, m.text])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
    expect((await store.conversations.get(c.id))?.lastSeq).toBe(3);
  });

  it('throws for an unknown conversation and stores nothing', async () => {
    const { store } = await db.withSite();
    await expect(store.messages.append('missing', { author: 'visitor', text: 'x' })).rejects.toThrow();
  });
});

describe('messages full-text index (SQLite FTS5)', () => {
  it('every stored message is searchable once, whether appended alone or in a batch, and leaves the index with its conversation', async () => {
    const db = openDb(':memory:');
    const store = createStore(db);
    const site = await store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: ['https://acme.test'], identitySecret: 'secret' });
    const c = await store.conversations.create({ siteId: site.id, visitorId: null, flowId: 'support' });
    const hits = (word: string) => db.prepare<[string], number>('SELECT count(*) FROM messages_fts WHERE messages_fts MATCH ?').pluck().get(`"${word}"*`);
    await store.messages.append(c.id, { author: 'visitor', text: 'Die Rücksendung dauert zu lange, 14 Tage!', clientId: 'fts-client-1' });
    await store.tx(async () => {
      await store.messages.append(c.id, { author: 'visitor', text: 'Die Rücksendung dauert zu lange, 14 Tage!', clientId: 'fts-client-1' });
      await store.messages.append(c.id, { author: 'bot', text: 'Sorry about the wait on your return.' });
      // one item of a batch rolled back alone (as the group commit does): not searchable
      await expect(store.tx(async () => {
        await store.messages.append(c.id, { author: 'visitor', text: 'Rücksendung storniert', clientId: 'fts-client-2' });
        throw new Error('rolled back');
      })).rejects.toThrow('rolled back');
      await store.messages.append(c.id, { author: 'visitor', text: 'und der Umtausch?', clientId: 'fts-client-3' });
    });
    // a whole batch rolled back: nothing of it either
    await expect(store.tx(async () => {
      await store.messages.append(c.id, { author: 'visitor', text: 'Gutschein bitte', clientId: 'fts-client-4' });
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    expect([hits('Rücksendung'), hits('return'), hits('Umtausch'), hits('storniert'), hits('Gutschein')]).toEqual([1, 1, 1, 0, 0]);
    // deleted in the batch that appended it: never indexed, and the index stays sound
    const other = await store.conversations.create({ siteId: site.id, visitorId: null, flowId: 'support' });
    await store.tx(async () => {
      await store.messages.append(other.id, { author: 'visitor', text: 'Umtausch sofort', clientId: 'fts-client-5' });
      db.prepare('DELETE FROM conversations WHERE id = ?').run(other.id);
    });
    expect(hits('Umtausch')).toBe(1);
    db.prepare('DELETE FROM conversations WHERE id = ?').run(c.id);
    expect([hits('Rücksendung'), hits('return'), hits('Umtausch')]).toEqual([0, 0, 0]);
    // FTS5 compares the index with the messages table and throws on any difference
    expect(() => db.prepare("INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
  });

  it('ingested feedback keeps the index sound', async () => {
    const db = openDb(':memory:');
    const store = createStore(db);
    const site = await store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: ['https://acme.test'], identitySecret: 'secret' });
    const item = { siteId: site.id, channel: 'api' as const, source: 'api', author: null, url: null, createdAt: Date.now(), language: 'fr', rating: null, metadata: {}, origin: null };
    await store.feedback.insertMany([
      { ...item, externalId: 'r-1', text: 'Livraison rapide mais emballage abîmé, 3 étoiles' },
      { ...item, externalId: 'r-2', text: 'Remboursement toujours pas reçu après 20 jours' },
    ]);
    expect(await store.admin.reviews.list({ q: 'emballage' }, null, 10)).toHaveLength(1);
    expect(await store.admin.reviews.list({ q: 'rembours' }, null, 10)).toHaveLength(1);
    expect(() => db.prepare("INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
  });

  it('a message id freed by a rolled-back batch and taken by an ingested item is indexed once', async () => {
    const db = openDb(':memory:');
    const store = createStore(db);
    const site = await store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: [] });
    const c = await store.conversations.create({ siteId: site.id, visitorId: null, flowId: 'support' });
    const hits = (word: string) => db.prepare<[string], number>('SELECT count(*) FROM messages_fts WHERE messages_fts MATCH ?').pluck().get(`"${word}"`);
    await store.messages.append(c.id, { author: 'bot', text: 'hello' });
    // a batch appends (its index waits for the commit) and rolls back: its message id is free again
    await expect(
      store.tx(async () => {
        await store.messages.append(c.id, { author: 'visitor', text: 'gone' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    // an ingested item takes that id and indexes its own row
    const item = { siteId: site.id, channel: 'api' as const, source: 'api', author: null, url: null, createdAt: Date.now(), language: null, rating: null, metadata: {}, origin: null };
    await store.feedback.insertMany([{ ...item, externalId: 'x-1', text: 'parcel missing' }]);
    // the next batch must not index it a second time
    await store.tx(async () => {
      await store.messages.append(c.id, { author: 'visitor', text: 'still waiting' });
    });
    expect([hits('parcel'), hits('waiting'), hits('gone')]).toEqual([1, 1, 0]);
    expect(() => db.prepare("INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
  });
});

describe.each(ENGINES)('recent messages (%s)', (engine) => {
  const db = useEngine(engine);

  it('returns the last N, oldest first', async () => {
    const { store, siteId } = await db.withSite();
    const c = await store.conversations.create({ siteId, visitorId: null, flowId: 'nps' });
    for (let i = 1; i <= 5; i++) await store.messages.append(c.id, { author: 'bot', text: `m${i}` });
    expect((await store.messages.recent(c.id, 3)).map((m) => m.text)).toEqual(['m3', 'm4', 'm5']);
  });

  it("stays the transcript's tail while messages keep coming, past the in-memory bound", async () => {
    const { store, siteId } = await db.withSite();
    const c = await store.conversations.create({ siteId, visitorId: null, flowId: 'nps' });
    await store.messages.append(c.id, { author: 'bot', text: 'm1' });
    expect((await store.messages.recent(c.id, 20)).map((m) => m.text)).toEqual(['m1']);
    for (let i = 2; i <= 120; i++) {
      await store.messages.append(c.id, { author: i % 2 ? 'bot' : 'visitor', text: `m${i}`, clientId: i % 2 ? null : `client-${i}` });
      // a resend changes nothing
      if (i % 2 === 0) await store.messages.append(c.id, { author: 'visitor', text: `m${i}`, clientId: `client-${i}` });
      expect(await store.messages.recent(c.id, 20)).toEqual((await store.messages.list(c.id)).slice(-20));
    }
    expect(await store.messages.recent(c.id, 50)).toEqual((await store.messages.list(c.id)).slice(-50));
    expect(await store.messages.recent(c.id, 80)).toEqual((await store.messages.list(c.id)).slice(-80));
    expect(await store.messages.recent(c.id, 0)).toEqual([]);
    expect(await store.messages.recent('missing', 20)).toEqual([]);
  });

  it('never returns a message whose transaction rolled back', async () => {
    const { store, siteId } = await db.withSite();
    const c = await store.conversations.create({ siteId, visitorId: null, flowId: 'nps' });
    await store.messages.append(c.id, { author: 'bot', text: 'kept 1' });
    expect(await store.messages.recent(c.id, 20)).toHaveLength(1);
    await expect(
      store.tx(async () => {
        await store.messages.append(c.id, { author: 'bot', text: 'rolled back' });
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect((await store.messages.recent(c.id, 20)).map((m) => m.text)).toEqual(['kept 1']);
    // and again when the next append takes the rolled-back seq before anyone read
    await expect(
      store.tx(async () => {
        await store.messages.append(c.id, { author: 'bot', text: 'rolled back too' });
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await store.messages.append(c.id, { author: 'visitor', text: 'kept 2' });
    expect((await store.messages.recent(c.id, 20)).map((m) => [m.seq, m.text])).toEqual([
      [1, 'kept 1'],
      [2, 'kept 2'],
    ]);
  });

  it('never keeps what it read inside a transaction that then rolled back', async () => {
    const shared = await db.database();
    const store = createStore(shared.connect());
    const site = await store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: [], identitySecret: 'secret' });
    const { visitor } = await store.visitors.create(site.id, null);
    const c = await store.conversations.create({ siteId: site.id, visitorId: visitor.id, flowId: 'nps' });
    const owner = { siteId: site.id, visitorId: visitor.id };
    await store.messages.appendToOpen(c.id, owner, { author: 'visitor', text: 'kept 1', clientId: 'client-k1' });
    expect(await store.messages.recent(c.id, 20)).toHaveLength(1);
    await expect(
      store.tx(async () => {
        await store.messages.appendToOpen(c.id, owner, { author: 'visitor', text: 'rolled back', clientId: 'client-rb' });
        // the transaction sees its own message
        expect((await store.messages.recent(c.id, 20)).map((m) => m.text)).toEqual(['kept 1', 'rolled back']);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    // another instance takes the rolled-back seq before this one reads again
    const other = createStore(shared.connect());
    await other.messages.appendToOpen(c.id, owner, { author: 'visitor', text: 'kept 2', clientId: 'client-k2' });
    expect((await store.messages.recent(c.id, 20)).map((m) => [m.seq, m.text])).toEqual([
      [1, 'kept 1'],
      [2, 'kept 2'],
    ]);
  });

  /** two stores on one database (on PostgreSQL each its own pool: another server process); "from here" written by the first and in its history */
  async function hereAndElsewhere() {
    const shared = await db.database();
    const store = createStore(shared.connect());
    const site = await store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: [], identitySecret: 'secret' });
    const c = await store.conversations.create({ siteId: site.id, visitorId: null, flowId: 'nps' });
    await store.messages.append(c.id, { author: 'bot', text: 'from here' });
    expect(await store.messages.recent(c.id, 20)).toHaveLength(1);
    return { store, other: createStore(shared.connect()), c };
  }

  it('sees messages written by another instance on the same database', async () => {
    const { store, other, c } = await hereAndElsewhere();
    await other.messages.append(c.id, { author: 'visitor', text: 'from elsewhere' });
    // recent() reads the conversation's head on every call: the copy here is not served once stale
    expect((await store.messages.recent(c.id, 20)).map((m) => m.text)).toEqual(['from here', 'from elsewhere']);
    await store.messages.append(c.id, { author: 'bot', text: 'here again' });
    await other.messages.append(c.id, { author: 'visitor', text: 'elsewhere again' });
    expect((await store.messages.recent(c.id, 2)).map((m) => [m.seq, m.text])).toEqual([
      [3, 'here again'],
      [4, 'elsewhere again'],
    ]);
    expect((await other.messages.recent(c.id, 20)).map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it('takes the last seq the caller has just read, and asks the database when it is not where its copy ends', async () => {
    const { store, other, c } = await hereAndElsewhere();
    await other.messages.append(c.id, { author: 'visitor', text: 'from elsewhere' });
    // the conversation as read before the other instance wrote: the transcript as it was then
    expect((await store.messages.recent(c.id, 20, 1)).map((m) => m.text)).toEqual(['from here']);
    // as read now: the copy here ends before it, so the rows are read again
    const read = await store.conversations.get(c.id);
    expect((await store.messages.recent(c.id, 20, read?.lastSeq)).map((m) => m.text)).toEqual(['from here', 'from elsewhere']);
    // a seq that is nowhere (the caller misread) is not trusted either
    expect((await store.messages.recent(c.id, 20, 7)).map((m) => m.seq)).toEqual([1, 2]);
  });
});

describe('appends on SQLite: two statements without a savepoint', () => {
  it('a message whose conversation update fails is taken back, and the caller\'s transaction carries on without it', async () => {
    const db = openDb(':memory:');
    const store = createStore(db);
    const site = await store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: [] });
    const { visitor } = await store.visitors.create(site.id, null);
    const c = await store.conversations.create({ siteId: site.id, visitorId: visitor.id, flowId: 'nps' });
    // refuses the bump that follows a message reading "refused" (the second of the two statements)
    db.exec(`CREATE TRIGGER refuse_bump BEFORE UPDATE OF last_seq ON conversations
      WHEN EXISTS (SELECT 1 FROM messages WHERE conversation_id = NEW.id AND seq = NEW.last_seq AND text = 'refused')
      BEGIN SELECT RAISE(ABORT, 'refused for the test'); END`);
    const owner = { siteId: site.id, visitorId: visitor.id };
    await store.tx(async () => {
      await store.messages.appendToOpen(c.id, owner, { author: 'visitor', text: 'first', clientId: 'client-1' });
      await expect(store.messages.appendToOpen(c.id, owner, { author: 'visitor', text: 'refused', clientId: 'client-2' })).rejects.toThrow('refused for the test');
      await expect(store.messages.append(c.id, { author: 'bot', text: 'refused' })).rejects.toThrow('refused for the test');
      await store.messages.append(c.id, { author: 'bot', text: 'second' });
    });
    expect((await store.messages.list(c.id)).map((m) => [m.seq, m.text])).toEqual([
      [1, 'first'],
      [2, 'second'],
    ]);
    expect((await store.messages.recent(c.id, 20)).map((m) => m.text)).toEqual(['first', 'second']);
    expect((await store.conversations.get(c.id))?.lastSeq).toBe(2);
    // the refused client id was never stored: sent again, it is a new message
    db.exec('DROP TRIGGER refuse_bump');
    const again = await store.messages.appendToOpen(c.id, owner, { author: 'visitor', text: 'refused', clientId: 'client-2' });
    expect(again?.appended).toMatchObject({ duplicate: false, message: { seq: 3 } });
    expect(() => db.prepare("INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
  });
});

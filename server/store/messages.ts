import type { EndReason } from '../../shared/conversation.ts';
import { EndReason as EndReasonSchema } from '../../shared/conversation.ts';
import type { Author, Message } from '../../shared/message.ts';
import { ReplyOptions } from '../../shared/message.ts';
import type { Sql } from './sql.ts';

interface MessageRow {
  id: number;
  conversation_id: string;
  seq: number;
  client_id: string | null;
  author: Author;
  author_name: string | null;
  text: string;
  reply: string | null;
  created_at: number;
}

function parseReply(json: string | null): ReplyOptions | null {
  if (json === null) return null;
  const r = ReplyOptions.safeParse(JSON.parse(json));
  return r.success ? r.data : null;
}

const toMessage = (r: MessageRow): Message => ({
  id: r.id,
  conversationId: r.conversation_id,
  seq: r.seq,
  clientId: r.client_id,
  author: r.author,
  authorName: r.author_name,
  text: r.text,
  reply: parseReply(r.reply),
  createdAt: r.created_at,
});

export interface NewMessage {
  author: Author;
  text: string;
  clientId?: string | null;
  authorName?: string | null;
  reply?: ReplyOptions | null;
}

/** the most an in-memory history keeps per conversation (and the longest `recent` it serves) */
const HISTORY_CAP = 50;
/** conversations whose recent history is kept in memory, least recently used dropped first */
const HISTORY_CONVERSATIONS = 2_000;

interface History {
  /** the seq of the last message held: the conversation's last_seq when the entry is current */
  lastSeq: number;
  /** the last min(HISTORY_CAP, lastSeq) messages, oldest first */
  messages: Message[];
}

export function messagesStore(sql: Sql) {
  const sqlite = sql.dialect === 'sqlite';
  const byClient = (conversationId: string, clientId: string) =>
    sql.get<MessageRow>('SELECT * FROM messages WHERE conversation_id = ? AND client_id = ?', [conversationId, clientId]);
  const since = async (conversationId: string, afterSeq: number, limit: number): Promise<Message[]> =>
    (
      await sql.all<MessageRow>(
        limit < 0
          ? 'SELECT * FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq'
          : 'SELECT * FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?',
        limit < 0 ? [conversationId, afterSeq] : [conversationId, afterSeq, limit],
      )
    ).map(toMessage);
  const recentRows = async (conversationId: string, limit: number): Promise<Message[]> =>
    (
      await sql.all<MessageRow>(
        'SELECT * FROM (SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?) AS r ORDER BY seq',
        [conversationId, limit],
      )
    ).map(toMessage);

  // Full-text indexing (no trigger since migration 011). FTS5 flushes its pending terms at every
  // savepoint, and appends run inside savepoints: indexed one by one, each message became its own
  // index segment (half of an append's cost). An append that is its own transaction indexes its
  // row at once; inside a caller's transaction the ids are collected and indexed in one statement
  // just before the outermost commit (beforeCommit 'messages-fts').
  // PostgreSQL needs none of this: its GIN index on to_tsvector('parley_search', text) follows the rows.
  let unindexed = new Set<number>();
  const flushIndex = async (): Promise<void> => {
    const ids = unindexed;
    unindexed = new Set();
    if (ids.size === 0 || !sqlite) return;
    // rows rolled back since are gone from `messages` and so are skipped; an id left over from a
    // rolled-back transaction and reused since by a row already indexed is skipped too
    await sql.run(
      `INSERT INTO messages_fts (rowid, text) SELECT id, text FROM messages
       WHERE id IN (SELECT value FROM json_each(?)) AND NOT EXISTS (SELECT 1 FROM messages_fts_docsize d WHERE d.id = messages.id)`,
      [JSON.stringify([...ids])],
    );
  };

  // what the conversation row says its last seq is: an in-memory history is used only when it ends
  // there, so another process's write (or anything missed) is never served from memory
  const storedLastSeq = async (conversationId: string): Promise<number | undefined> =>
    (await sql.get<{ last_seq: number }>('SELECT last_seq FROM conversations WHERE id = ?', [conversationId]))?.last_seq;
  // every bot turn reads the recent transcript; rereading and mapping those rows per turn was a
  // sixth of a message's cost, so appends keep a bounded copy instead
  const histories = new Map<string, History>();
  const remember = (conversationId: string, h: History): void => {
    histories.delete(conversationId);
    histories.set(conversationId, h);
    if (histories.size > HISTORY_CONVERSATIONS) histories.delete(histories.keys().next().value!);
  };
  const extendHistory = (message: Message): void => {
    const h = histories.get(message.conversationId);
    if (!h) return;
    // anything but the very next seq means the copy missed something (a rollback): drop it
    if (h.lastSeq !== message.seq - 1) return void histories.delete(message.conversationId);
    h.messages.push(message);
    if (h.messages.length > HISTORY_CAP) h.messages.shift();
    h.lastSeq = message.seq;
  };
  /**
   * the message as written (not read back: re-parsing the row's reply JSON was a visible share of
   * every append); it joins the history once its transaction has committed, so the history only
   * ever holds committed messages and a rolled-back append never enters it
   */
  const appended = (id: number, conversationId: string, seq: number, m: NewMessage, now: number): Message => {
    const message: Message = {
      id,
      conversationId,
      seq,
      clientId: m.clientId ?? null,
      author: m.author,
      authorName: m.authorName ?? null,
      text: m.text,
      reply: m.reply ?? null,
      createdAt: now,
    };
    sql.afterCommit(() => extendHistory(message));
    return message;
  };

  // SQLite full-text index: at once for an append that is its own transaction, else just before
  // the outermost commit (see flushIndex)
  const index = async (id: number, text: string, alone: boolean): Promise<void> => {
    if (!sqlite) return;
    if (alone) {
      // no transaction of the caller's is open, so nothing collected earlier can still commit
      unindexed = new Set();
      await sql.run('INSERT INTO messages_fts (rowid, text) VALUES (?, ?)', [id, text]);
    } else {
      unindexed.add(id);
      sql.beforeCommit('messages-fts', flushIndex);
    }
  };

  // SQLite: one conversation's appends run one at a time. An append reads last_seq and bumps it
  // two statements later: a second append started side by side (Promise.all inside a
  // transaction) would take the same seq and fail. Held from an append's first statement to its
  // last, all inside the one open transaction, so the holder never waits on anything.
  const appending = new Map<string, (() => void)[]>();
  const oneAtATime = async <T>(conversationId: string, fn: () => Promise<T>): Promise<T> => {
    for (let waiting = appending.get(conversationId); waiting !== undefined; waiting = appending.get(conversationId)) {
      const queue = waiting;
      await new Promise<void>((resolve) => queue.push(resolve));
    }
    appending.set(conversationId, []);
    try {
      return await fn();
    } finally {
      const waiting = appending.get(conversationId) ?? [];
      appending.delete(conversationId);
      for (const wake of waiting) wake();
    }
  };

  /** the conversation a visitor's message goes to, when it is theirs and open */
  type OpenTarget = { id: string; siteId: string; visitorId: string; status: 'open'; mode: 'bot' | 'human'; endReason: EndReason | null };
  const target = (conversationId: string, siteId: string, visitorId: string, r: { mode: 'bot' | 'human'; end_reason: string | null }): OpenTarget => ({
    id: conversationId,
    siteId,
    visitorId,
    status: 'open',
    mode: r.mode,
    endReason: r.end_reason === null ? null : EndReasonSchema.catch('visitor').parse(r.end_reason),
  });

  // SQLite: one read (the conversation's last seq, and for a visitor whose it is and whether it
  // is open; whether this clientId is stored already), then the insert and the bump, with no
  // savepoint: three statements instead of a savepoint around four or five. In the server an
  // INSERT ... SELECT taking the seq from the conversation row cost twice this plain INSERT (its
  // RETURNING makes SQLite stage the selected row in a temporary table): more than the read.
  const readFor = (owned: boolean): string =>
    `SELECT c.last_seq, c.mode, c.end_reason,
       EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.client_id = ?) AS dup
     FROM conversations c WHERE c.id = ?${owned ? ` AND c.site_id = ? AND c.visitor_id = ? AND c.status = 'open'` : ''}`;
  const READ = readFor(false);
  const READ_OWNED = readFor(true);
  type Read = { last_seq: number; mode: 'bot' | 'human'; end_reason: string | null; dup: number };
  /**
   * Inside a transaction (`alone` when it is the append's own): the conversation as read and the
   * append, or undefined when there is no such conversation (for `owner`: not theirs, or not open).
   */
  const appendSqlite = async (
    conversationId: string,
    m: NewMessage,
    now: number,
    alone: boolean,
    owner: { siteId: string; visitorId: string } | null,
  ): Promise<{ read: Read; appended: { message: Message; duplicate: boolean } } | undefined> => {
    const clientId = m.clientId ?? null;
    const reply = m.reply ?? null;
    const written = await oneAtATime(conversationId, async () => {
      const read = await sql.get<Read>(owner ? READ_OWNED : READ, owner ? [clientId, conversationId, owner.siteId, owner.visitorId] : [clientId, conversationId]);
      if (read === undefined) return undefined;
      if (read.dup === 1) return { read, at: null };
      const seq = read.last_seq + 1;
      // SQLite only (this path): the rowid from the run, not a RETURNING (which costs a few µs more)
      const inserted = await sql.run(
        `INSERT INTO messages (conversation_id, seq, client_id, author, author_name, text, reply, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [conversationId, seq, clientId, m.author, m.authorName ?? null, m.text, reply ? JSON.stringify(reply) : null, now],
      );
      const id = inserted.lastId;
      if (id === undefined) throw new Error('the SQLite runner returned no rowid');
      try {
        await sql.run('UPDATE conversations SET last_seq = ?, last_activity_at = ? WHERE id = ?', [seq, now, conversationId]);
      } catch (err) {
        // no savepoint around the pair: the message is taken back, so a caller that catches this
        // and carries on in its transaction keeps no half of it (when SQLite rolled the whole
        // transaction back by itself there is nothing to take back, and the DELETE fails too)
        await sql.run('DELETE FROM messages WHERE id = ?', [id]).catch(() => undefined);
        throw err;
      }
      return { read, at: { id, seq } };
    });
    if (written === undefined) return undefined;
    const { read, at } = written;
    if (at !== null) {
      await index(at.id, m.text, alone);
      return { read, appended: { message: appended(at.id, conversationId, at.seq, m, now), duplicate: false } };
    }
    // a resend: answered as the stored message
    const existing = await byClient(conversationId, clientId!);
    return { read, appended: { message: toMessage(existing!), duplicate: true } };
  };

  // PostgreSQL: the duplicate check, the seq bump and the insert are one statement (one round trip
  // instead of five with the savepoint). The conversation's row lock taken by the UPDATE orders
  // concurrent appends, so seqs stay gapless; a statement is atomic on its own, so it needs no
  // savepoint (a failure aborts a caller's transaction, as any failed statement does there).
  const appendPg = async (conversationId: string, m: NewMessage, now: number): Promise<{ message: Message; duplicate: boolean }> => {
    const reply = m.reply ?? null;
    const clientId = m.clientId ?? null;
    const row = await sql.get<Partial<MessageRow> & { new_id: number | null; new_seq: number | null }>(
      `WITH existing AS (
         SELECT * FROM messages WHERE conversation_id = ?::text AND client_id = ?::text
       ), bumped AS (
         UPDATE conversations SET last_seq = last_seq + 1, last_activity_at = ?::bigint
         WHERE id = ?::text AND NOT EXISTS (SELECT 1 FROM existing) RETURNING last_seq
       ), ins AS (
         INSERT INTO messages (conversation_id, seq, client_id, author, author_name, text, reply, created_at)
         SELECT ?::text, last_seq, ?::text, ?::text, ?::text, ?::text, ?::text, ?::bigint FROM bumped RETURNING id, seq
       )
       SELECT ins.id AS new_id, ins.seq AS new_seq, e.* FROM (SELECT 1) AS one LEFT JOIN ins ON true LEFT JOIN existing e ON true`,
      [
        conversationId, clientId,
        now, conversationId,
        conversationId, clientId, m.author, m.authorName ?? null, m.text, reply ? JSON.stringify(reply) : null, now,
      ],
    );
    if (row?.id !== undefined && row.id !== null) return { message: toMessage(row as MessageRow), duplicate: true };
    if (row === undefined || row.new_id === null || row.new_seq === null) throw new Error(`conversation ${conversationId} does not exist`);
    const message = appended(row.new_id, conversationId, row.new_seq, m, now);
    return { message, duplicate: false };
  };

  // PostgreSQL: the visitor's hot path in one round trip: whose the conversation is, whether it is
  // open, the duplicate check, the seq bump and the insert. The UPDATE rechecks `status` on the
  // row it locks, so a conversation ended meanwhile by another transaction takes nothing.
  const appendToOpenPg = async (
    conversationId: string,
    siteId: string,
    visitorId: string,
    m: NewMessage,
    now: number,
  ): Promise<{ conversation: OpenTarget; appended: { message: Message; duplicate: boolean } } | null> => {
    const reply = m.reply ?? null;
    const clientId = m.clientId ?? null;
    const row = await sql.get<Partial<MessageRow> & { t_mode: 'bot' | 'human'; t_end_reason: string | null; new_id: number | null; new_seq: number | null }>(
      `WITH target AS (
         SELECT id, mode, end_reason FROM conversations
         WHERE id = ?::text AND site_id = ?::text AND visitor_id = ?::text AND status = 'open'
       ), existing AS (
         SELECT m.* FROM messages m JOIN target t ON m.conversation_id = t.id WHERE m.client_id = ?::text
       ), bumped AS (
         UPDATE conversations SET last_seq = last_seq + 1, last_activity_at = ?::bigint
         WHERE id = (SELECT id FROM target) AND status = 'open' AND NOT EXISTS (SELECT 1 FROM existing) RETURNING last_seq
       ), ins AS (
         INSERT INTO messages (conversation_id, seq, client_id, author, author_name, text, reply, created_at)
         SELECT ?::text, last_seq, ?::text, ?::text, ?::text, ?::text, ?::text, ?::bigint FROM bumped RETURNING id, seq
       )
       SELECT t.mode AS t_mode, t.end_reason AS t_end_reason, ins.id AS new_id, ins.seq AS new_seq, e.*
       FROM target t LEFT JOIN ins ON true LEFT JOIN existing e ON true`,
      [
        conversationId, siteId, visitorId,
        clientId,
        now,
        conversationId, clientId, m.author, m.authorName ?? null, m.text, reply ? JSON.stringify(reply) : null, now,
      ],
    );
    if (row === undefined) return null;
    const conversation = target(conversationId, siteId, visitorId, { mode: row.t_mode, end_reason: row.t_end_reason });
    if (row.id !== undefined && row.id !== null) return { conversation, appended: { message: toMessage(row as MessageRow), duplicate: true } };
    // ended (or taken) between the snapshot and the row lock: the caller looks again
    if (row.new_id === null || row.new_seq === null) return null;
    const message = appended(row.new_id, conversationId, row.new_seq, m, now);
    return { conversation, appended: { message, duplicate: false } };
  };

  return {
    /**
     * A visitor's message to their open conversation: the conversation as it was found and the
     * append (as `append`), or null when the conversation is not this visitor's on this site or
     * not open (the caller then works out why, and what else to do). PostgreSQL: one statement.
     */
    async appendToOpen(
      conversationId: string,
      owner: { siteId: string; visitorId: string },
      m: NewMessage,
      now = Date.now(),
    ): Promise<{ conversation: OpenTarget; appended: { message: Message; duplicate: boolean } } | null> {
      if (!sqlite) return appendToOpenPg(conversationId, owner.siteId, owner.visitorId, m, now);
      const run = async (alone: boolean) => {
        const r = await appendSqlite(conversationId, m, now, alone, owner);
        return r ? { conversation: target(conversationId, owner.siteId, owner.visitorId, r.read), appended: r.appended } : null;
      };
      return sql.inTx() ? run(false) : sql.tx(() => run(true));
    },
    /**
     * Append with the conversation's next seq, atomically: its own transaction, or part of the
     * caller's (SQLite: two statements, the first taken back if the second fails; PostgreSQL: one
     * statement). A repeated (conversation, clientId) returns the stored row instead.
     */
    append(conversationId: string, m: NewMessage, now = Date.now()): Promise<{ message: Message; duplicate: boolean }> {
      if (!sqlite) return appendPg(conversationId, m, now);
      const run = async (alone: boolean) => {
        const r = await appendSqlite(conversationId, m, now, alone, null);
        if (r === undefined) throw new Error(`conversation ${conversationId} does not exist`);
        return r.appended;
      };
      return sql.inTx() ? run(false) : sql.tx(() => run(true));
    },
    /** messages after `afterSeq`, oldest first */
    since(conversationId: string, afterSeq = 0, limit = 1000): Promise<Message[]> {
      return since(conversationId, afterSeq, limit);
    },
    async byClientId(conversationId: string, clientId: string): Promise<Message | null> {
      const row = await byClient(conversationId, clientId);
      return row ? toMessage(row) : null;
    },
    /**
     * the last `limit` messages, oldest first; callers must not mutate them (they may be shared).
     * `lastSeq`: the conversation's last seq as the caller has just read it (a bot turn reads the
     * conversation first); when the history ends there it is served without asking the database
     * again, otherwise the database is asked as without it.
     */
    async recent(conversationId: string, limit: number, lastSeq?: number): Promise<Message[]> {
      if (limit <= 0) return [];
      if (limit > HISTORY_CAP) return recentRows(conversationId, limit);
      const h = histories.get(conversationId);
      const at = lastSeq !== undefined && lastSeq === h?.lastSeq ? lastSeq : await storedLastSeq(conversationId);
      if (at === undefined) return [];
      // the history holds committed messages only (appends join it after their commit): when it
      // ends at the conversation's last seq it is the transcript's tail
      if (h && h.lastSeq === at) {
        remember(conversationId, h);
        return h.messages.slice(-limit);
      }
      const messages = await recentRows(conversationId, HISTORY_CAP);
      // rows read inside a transaction may be rolled back yet; an append that committed while the
      // rows were read keeps its own copy, this one is older
      const newer = histories.get(conversationId);
      if (!sql.inTx() && (newer === undefined || newer.lastSeq <= (messages.at(-1)?.seq ?? 0))) {
        remember(conversationId, { lastSeq: messages.at(-1)?.seq ?? 0, messages });
      }
      return messages.slice(-limit);
    },
    list(conversationId: string): Promise<Message[]> {
      return since(conversationId, 0, -1);
    },
  };
}
export type MessagesStore = ReturnType<typeof messagesStore>;

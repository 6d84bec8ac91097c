import type { Asyncify } from './async.ts';
import type { Author, Message } from '../../shared/message.ts';
import { ReplyOptions } from '../../shared/message.ts';
import type { Db } from './db.ts';

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

export function messagesStore(db: Db) {
  const byClient = db.prepare<[string, string], MessageRow>('SELECT * FROM messages WHERE conversation_id = ? AND client_id = ?');
  const bumpSeq = db
    .prepare<[number, string], number>('UPDATE conversations SET last_seq = last_seq + 1, last_activity_at = ? WHERE id = ? RETURNING last_seq')
    .pluck();
  const insert = db.prepare<[string, number, string | null, string, string | null, string, string | null, number]>(
    `INSERT INTO messages (conversation_id, seq, client_id, author, author_name, text, reply, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Full-text indexing (no trigger since migration 011). FTS5 flushes its pending terms at every
  // savepoint, and appends run inside savepoints: indexed one by one, each message became its own
  // index segment (half of an append's cost). Inside a store.tx batch the rowids are collected
  // and indexed in one statement just before the commit (`flushIndex`); elsewhere at once.
  const indexOne = db.prepare<[number | bigint, string]>('INSERT INTO messages_fts (rowid, text) VALUES (?, ?)');
  // rows rolled back since are gone from `messages` and so are skipped
  const indexMany = db.prepare<[string]>(
    'INSERT INTO messages_fts (rowid, text) SELECT id, text FROM messages WHERE id IN (SELECT value FROM json_each(?))',
  );
  let batching = false;
  const unindexed = new Set<number>();
  const recent = db.prepare<[string, number], MessageRow>(
    'SELECT * FROM (SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq',
  );
  const since = db.prepare<[string, number, number], MessageRow>(
    'SELECT * FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?',
  );

  // what the conversation row says is its last message: an in-memory history is used only when it
  // ends there, so a rolled-back append or another process's write is never served from memory
  const head = db.prepare<[string], { last_seq: number; last_id: number | null }>(
    `SELECT c.last_seq, m.id AS last_id FROM conversations c
     LEFT JOIN messages m ON m.conversation_id = c.id AND m.seq = c.last_seq WHERE c.id = ?`,
  );
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

  const append = db.transaction((conversationId: string, m: NewMessage, now: number): { message: Message; duplicate: boolean } => {
    if (m.clientId) {
      const existing = byClient.get(conversationId, m.clientId);
      if (existing) return { message: toMessage(existing), duplicate: true };
    }
    const seq = bumpSeq.get(now, conversationId);
    if (seq === undefined) throw new Error(`conversation ${conversationId} does not exist`);
    const reply = m.reply ?? null;
    const { lastInsertRowid } = insert.run(conversationId, seq, m.clientId ?? null, m.author, m.authorName ?? null, m.text, reply ? JSON.stringify(reply) : null, now);
    if (batching) unindexed.add(Number(lastInsertRowid));
    else indexOne.run(lastInsertRowid, m.text);
    // built from what was written rather than read back: re-parsing the row (the reply's JSON and
    // schema) was a visible share of every append
    const message: Message = {
      id: Number(lastInsertRowid),
      conversationId,
      seq,
      clientId: m.clientId ?? null,
      author: m.author,
      authorName: m.authorName ?? null,
      text: m.text,
      reply,
      createdAt: now,
    };
    extendHistory(message);
    return { message, duplicate: false };
  });

  return {
    /** store.tx only: from now until `endBatch`, appends are indexed by `flushIndex` */
    beginBatch(): void {
      batching = true;
      unindexed.clear();
    },
    /** store.tx only, inside its transaction just before it commits */
    flushIndex(): void {
      if (unindexed.size === 0) return;
      indexMany.run(JSON.stringify([...unindexed]));
      unindexed.clear();
    },
    /** store.tx only, after its transaction committed or rolled back */
    endBatch(): void {
      batching = false;
      unindexed.clear();
    },
    /**
     * Append with the conversation's next seq, in one transaction (nests as a savepoint inside a
     * caller's transaction). A repeated (conversation, clientId) returns the stored row instead.
     */
    append(conversationId: string, m: NewMessage, now = Date.now()): { message: Message; duplicate: boolean } {
      return append(conversationId, m, now);
    },
    /** messages after `afterSeq`, oldest first */
    since(conversationId: string, afterSeq = 0, limit = 1000): Message[] {
      return since.all(conversationId, afterSeq, limit).map(toMessage);
    },
    byClientId(conversationId: string, clientId: string): Message | null {
      const row = byClient.get(conversationId, clientId);
      return row ? toMessage(row) : null;
    },
    /** the last `limit` messages, oldest first; callers must not mutate them (they may be shared) */
    recent(conversationId: string, limit: number): Message[] {
      if (limit <= 0) return [];
      if (limit > HISTORY_CAP) return recent.all(conversationId, limit).map(toMessage);
      const at = head.get(conversationId);
      if (!at) return [];
      const h = histories.get(conversationId);
      if (h && h.lastSeq === at.last_seq && (h.messages.at(-1)?.id ?? null) === at.last_id) {
        remember(conversationId, h);
        return h.messages.slice(-limit);
      }
      const messages = recent.all(conversationId, HISTORY_CAP).map(toMessage);
      remember(conversationId, { lastSeq: messages.at(-1)?.seq ?? 0, messages });
      return messages.slice(-limit);
    },
    list(conversationId: string): Message[] {
      return since.all(conversationId, 0, -1).map(toMessage);
    },
  };
}
export type MessagesStore = Asyncify<ReturnType<typeof messagesStore>>;

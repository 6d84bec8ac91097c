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

export function messagesStore(db: Db) {
  const byClient = db.prepare<[string, string], MessageRow>('SELECT * FROM messages WHERE conversation_id = ? AND client_id = ?');
  const bumpSeq = db
    .prepare<[number, string], number>('UPDATE conversations SET last_seq = last_seq + 1, last_activity_at = ? WHERE id = ? RETURNING last_seq')
    .pluck();
  const insert = db.prepare<[string, number, string | null, string, string | null, string, string | null, number], MessageRow>(
    `INSERT INTO messages (conversation_id, seq, client_id, author, author_name, text, reply, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  );
  const recent = db.prepare<[string, number], MessageRow>(
    'SELECT * FROM (SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq',
  );
  const since = db.prepare<[string, number, number], MessageRow>(
    'SELECT * FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?',
  );

  const append = db.transaction((conversationId: string, m: NewMessage, now: number): { message: Message; duplicate: boolean } => {
    if (m.clientId) {
      const existing = byClient.get(conversationId, m.clientId);
      if (existing) return { message: toMessage(existing), duplicate: true };
    }
    const seq = bumpSeq.get(now, conversationId);
    if (seq === undefined) throw new Error(`conversation ${conversationId} does not exist`);
    const row = insert.get(
      conversationId,
      seq,
      m.clientId ?? null,
      m.author,
      m.authorName ?? null,
      m.text,
      m.reply ? JSON.stringify(m.reply) : null,
      now,
    )!;
    return { message: toMessage(row), duplicate: false };
  });

  return {
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
    /** the last `limit` messages, oldest first */
    recent(conversationId: string, limit: number): Message[] {
      return recent.all(conversationId, limit).map(toMessage);
    },
    list(conversationId: string): Message[] {
      return since.all(conversationId, 0, -1).map(toMessage);
    },
  };
}
export type MessagesStore = ReturnType<typeof messagesStore>;

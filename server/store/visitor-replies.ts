/**
 * Replies sent to a visitor (by an agent or a playbook): queued, then delivered as a transcript
 * line; read once the visitor opened the widget and saw them (the unread badge counts the rest).
 */
import type { SentReply } from '../../shared/reach.ts';
import type { Sql } from './sql.ts';

interface ReplyRow {
  id: number;
  idempotency_key: string;
  conversation_id: string;
  agent_id: string | null;
  author_name: string;
  text: string;
  email_too: number;
  message_id: number | null;
  seq: number | null;
  delivered_at: number | null;
  read_at: number | null;
  created_at: number;
}

export interface VisitorReply {
  id: number;
  idempotencyKey: string;
  conversationId: string;
  agentId: string | null;
  authorName: string;
  text: string;
  emailToo: boolean;
  messageId: number | null;
  seq: number | null;
  deliveredAt: number | null;
  readAt: number | null;
  createdAt: number;
}

const toReply = (r: ReplyRow): VisitorReply => ({
  id: r.id,
  idempotencyKey: r.idempotency_key,
  conversationId: r.conversation_id,
  agentId: r.agent_id,
  authorName: r.author_name,
  text: r.text,
  emailToo: r.email_too === 1,
  messageId: r.message_id,
  seq: r.seq,
  deliveredAt: r.delivered_at,
  readAt: r.read_at,
  createdAt: r.created_at,
});

export function visitorRepliesStore(sql: Sql) {
  const byKey = (key: string) => sql.get<ReplyRow>('SELECT * FROM visitor_replies WHERE idempotency_key = ?', [key]);
  const followUpNeeded =
    sql.dialect === 'sqlite' ? "json_extract(e.data, '$.followUp.needed') = 1" : "(CAST(e.data AS jsonb) -> 'followUp' ->> 'needed') = 'true'";
  // whether a reply may still come: a recent conversation whose follow-up is open, not analysed
  // yet, or flagged by the analysis and not done; or a playbook still scheduled for the visitor
  const awaitingSql = `SELECT CASE WHEN EXISTS (
       SELECT 1 FROM conversations c LEFT JOIN extractions e ON e.conversation_id = c.id
       WHERE c.visitor_id = ? AND c.status = 'ended' AND c.ended_at >= ? AND (
         c.follow_up_status IN ('open', 'assigned')
         OR e.conversation_id IS NULL
         OR (${followUpNeeded} AND c.follow_up_status <> 'done')))
     OR EXISTS (
       SELECT 1 FROM playbook_runs p JOIN conversations c ON c.id = p.conversation_id
       WHERE c.visitor_id = ? AND (p.status = 'scheduled'
         OR (p.playbook = 'recheck_detractor' AND p.status = 'sent' AND p.recheck_conversation_id IS NULL)))
     THEN 1 ELSE 0 END AS yes`;

  return {
    /** queue a reply unless its key was used before; returns it (the earlier one for a repeat) and whether it is new */
    async add(
      r: { idempotencyKey: string; conversationId: string; agentId: string | null; authorName: string; text: string; emailToo: boolean },
      now = Date.now(),
    ): Promise<{ reply: VisitorReply; created: boolean }> {
      const res = await sql.run(
        `INSERT INTO visitor_replies (idempotency_key, conversation_id, agent_id, author_name, text, email_too, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
        [r.idempotencyKey, r.conversationId, r.agentId, r.authorName, r.text, r.emailToo ? 1 : 0, now],
      );
      return { reply: toReply((await byKey(r.idempotencyKey))!), created: res.changes > 0 };
    },
    async get(id: number): Promise<VisitorReply | null> {
      const r = await sql.get<ReplyRow>('SELECT * FROM visitor_replies WHERE id = ?', [id]);
      return r ? toReply(r) : null;
    },
    /** true when this call recorded the delivery */
    async markDelivered(id: number, messageId: number, seq: number, now = Date.now()): Promise<boolean> {
      const r = await sql.run('UPDATE visitor_replies SET message_id = ?, seq = ?, delivered_at = ? WHERE id = ? AND delivered_at IS NULL', [
        messageId,
        seq,
        now,
        id,
      ]);
      return r.changes > 0;
    },
    async list(conversationId: string): Promise<VisitorReply[]> {
      return (await sql.all<ReplyRow>('SELECT * FROM visitor_replies WHERE conversation_id = ? ORDER BY id', [conversationId])).map(toReply);
    },
    async unreadSeqs(conversationId: string): Promise<number[]> {
      const rows = await sql.all<{ seq: number }>(
        'SELECT seq FROM visitor_replies WHERE conversation_id = ? AND delivered_at IS NOT NULL AND read_at IS NULL ORDER BY seq',
        [conversationId],
      );
      return rows.map((r) => r.seq);
    },
    async latestUnreadConversation(visitorId: string): Promise<string | null> {
      // the visitor's newest conversation with a reply not yet seen, however long ago it ended
      const row = await sql.get<{ id: string }>(
        `SELECT c.id FROM visitor_replies r JOIN conversations c ON c.id = r.conversation_id
         WHERE c.visitor_id = ? AND r.delivered_at IS NOT NULL AND r.read_at IS NULL
         ORDER BY r.delivered_at DESC, r.id DESC LIMIT 1`,
        [visitorId],
      );
      return row?.id ?? null;
    },
    /** a reply may still come for one of the visitor's conversations that ended at or after `since` */
    async awaiting(visitorId: string, since: number): Promise<boolean> {
      return (await sql.get<{ yes: number }>(awaitingSql, [visitorId, since, visitorId]))?.yes === 1;
    },
    /** the visitor saw everything up to `seq`; returns how many replies that marked */
    async markRead(conversationId: string, seq: number, now = Date.now()): Promise<number> {
      const r = await sql.run(
        'UPDATE visitor_replies SET read_at = ? WHERE conversation_id = ? AND delivered_at IS NOT NULL AND read_at IS NULL AND seq <= ?',
        [now, conversationId, seq],
      );
      return r.changes;
    },
  };
}
export type VisitorRepliesStore = ReturnType<typeof visitorRepliesStore>;

export function toSentReply(r: VisitorReply, email: string | null): SentReply {
  return {
    id: r.id,
    conversationId: r.conversationId,
    text: r.text,
    authorName: r.authorName,
    delivered: r.deliveredAt !== null,
    read: r.readAt !== null,
    email,
    createdAt: r.createdAt,
  };
}

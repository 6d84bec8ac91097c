/**
 * Replies sent to a visitor (by an agent or a playbook): queued, then delivered as a transcript
 * line; read once the visitor opened the widget and saw them (the unread badge counts the rest).
 */
import type { Asyncify } from './async.ts';
import type { SentReply } from '../../shared/reach.ts';
import type { Db } from './db.ts';

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

export function visitorRepliesStore(db: Db) {
  const insert = db.prepare(
    `INSERT INTO visitor_replies (idempotency_key, conversation_id, agent_id, author_name, text, email_too, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
  );
  const byId = db.prepare<[number], ReplyRow>('SELECT * FROM visitor_replies WHERE id = ?');
  const byKey = db.prepare<[string], ReplyRow>('SELECT * FROM visitor_replies WHERE idempotency_key = ?');
  const delivered = db.prepare('UPDATE visitor_replies SET message_id = ?, seq = ?, delivered_at = ? WHERE id = ? AND delivered_at IS NULL');
  const ofConversation = db.prepare<[string], ReplyRow>('SELECT * FROM visitor_replies WHERE conversation_id = ? ORDER BY id');
  const unreadSeqs = db.prepare<[string], number>(
    'SELECT seq FROM visitor_replies WHERE conversation_id = ? AND delivered_at IS NOT NULL AND read_at IS NULL ORDER BY seq',
  ).pluck();
  // the visitor's newest conversation with a reply not yet seen, however long ago it ended
  const latestUnread = db.prepare<[string], string>(
    `SELECT c.id FROM visitor_replies r JOIN conversations c ON c.id = r.conversation_id
     WHERE c.visitor_id = ? AND r.delivered_at IS NOT NULL AND r.read_at IS NULL
     ORDER BY r.delivered_at DESC, r.id DESC LIMIT 1`,
  ).pluck();
  // whether a reply may still come: a recent conversation whose follow-up is open, not analysed
  // yet, or flagged by the analysis and not done; or a playbook still scheduled for the visitor
  const awaiting = db.prepare<[{ visitorId: string; since: number }], number>(
    `SELECT EXISTS (
       SELECT 1 FROM conversations c LEFT JOIN extractions e ON e.conversation_id = c.id
       WHERE c.visitor_id = @visitorId AND c.status = 'ended' AND c.ended_at >= @since AND (
         c.follow_up_status IN ('open', 'assigned')
         OR e.conversation_id IS NULL
         OR (json_extract(e.data, '$.followUp.needed') = 1 AND c.follow_up_status <> 'done')))
     OR EXISTS (
       SELECT 1 FROM playbook_runs p JOIN conversations c ON c.id = p.conversation_id
       WHERE c.visitor_id = @visitorId AND (p.status = 'scheduled'
         OR (p.playbook = 'recheck_detractor' AND p.status = 'sent' AND p.recheck_conversation_id IS NULL)))`,
  ).pluck();
  const markRead = db.prepare(
    'UPDATE visitor_replies SET read_at = ? WHERE conversation_id = ? AND delivered_at IS NOT NULL AND read_at IS NULL AND seq <= ?',
  );

  return {
    /** queue a reply unless its key was used before; returns it (the earlier one for a repeat) and whether it is new */
    add(r: { idempotencyKey: string; conversationId: string; agentId: string | null; authorName: string; text: string; emailToo: boolean }, now = Date.now()): { reply: VisitorReply; created: boolean } {
      const res = insert.run(r.idempotencyKey, r.conversationId, r.agentId, r.authorName, r.text, r.emailToo ? 1 : 0, now);
      return { reply: toReply(byKey.get(r.idempotencyKey)!), created: res.changes > 0 };
    },
    get(id: number): VisitorReply | null {
      const r = byId.get(id);
      return r ? toReply(r) : null;
    },
    /** true when this call recorded the delivery */
    markDelivered(id: number, messageId: number, seq: number, now = Date.now()): boolean {
      return delivered.run(messageId, seq, now, id).changes > 0;
    },
    list(conversationId: string): VisitorReply[] {
      return ofConversation.all(conversationId).map(toReply);
    },
    unreadSeqs(conversationId: string): number[] {
      return unreadSeqs.all(conversationId);
    },
    latestUnreadConversation(visitorId: string): string | null {
      return latestUnread.get(visitorId) ?? null;
    },
    /** a reply may still come for one of the visitor's conversations that ended at or after `since` */
    awaiting(visitorId: string, since: number): boolean {
      return awaiting.get({ visitorId, since }) === 1;
    },
    /** the visitor saw everything up to `seq`; returns how many replies that marked */
    markRead(conversationId: string, seq: number, now = Date.now()): number {
      return markRead.run(now, conversationId, seq).changes;
    },
  };
}
export type VisitorRepliesStore = Asyncify<ReturnType<typeof visitorRepliesStore>>;

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

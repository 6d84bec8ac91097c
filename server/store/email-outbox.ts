/** The e-mail outbox: one row per e-mail, unique by idempotency key, with its delivery status. */
import type { EmailLogEntry, EmailStatus } from '../../shared/reach.ts';
import type { Sql } from './sql.ts';

interface EmailRow {
  id: number;
  idempotency_key: string;
  site_id: string;
  conversation_id: string | null;
  to_addr: string;
  subject: string;
  body: string;
  message_id: string;
  in_reply_to: string | null;
  status: EmailStatus;
  attempts: number;
  last_error: string | null;
  smtp_response: string | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
}

/** An e-mail as the sender needs it. */
export interface OutboxEmail {
  id: number;
  siteId: string;
  conversationId: string | null;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  inReplyTo: string | null;
  status: EmailStatus;
  attempts: number;
}

export interface NewEmail {
  idempotencyKey: string;
  siteId: string;
  conversationId: string | null;
  to: string;
  subject: string;
  text: string;
  messageId: string;
}

const toEmail = (r: EmailRow): OutboxEmail => ({
  id: r.id,
  siteId: r.site_id,
  conversationId: r.conversation_id,
  to: r.to_addr,
  subject: r.subject,
  text: r.body,
  messageId: r.message_id,
  inReplyTo: r.in_reply_to,
  status: r.status,
  attempts: r.attempts,
});

const toLog = (r: EmailRow): EmailLogEntry => ({
  id: r.id,
  siteId: r.site_id,
  conversationId: r.conversation_id,
  to: r.to_addr,
  subject: r.subject,
  messageId: r.message_id,
  status: r.status,
  attempts: r.attempts,
  lastError: r.last_error,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});

export function emailOutboxStore(sql: Sql) {
  const setStatus = (id: number, status: EmailStatus, error: string | null, response: string | null, sentAt: number | null, now: number) =>
    sql.run(
      'UPDATE email_outbox SET status = ?, last_error = ?, smtp_response = COALESCE(?, smtp_response), sent_at = ?, updated_at = ? WHERE id = ?',
      [status, error, response, sentAt, now, id],
    );

  return {
    /** add unless the key was used before; returns the new row, or null for a repeat */
    async add(e: NewEmail, now = Date.now()): Promise<OutboxEmail | null> {
      // the first e-mail about a conversation to the same address: later ones thread under it
      const head = e.conversationId
        ? await sql.get<{ message_id: string }>('SELECT message_id FROM email_outbox WHERE conversation_id = ? AND to_addr = ? ORDER BY id LIMIT 1', [
            e.conversationId,
            e.to,
          ])
        : undefined;
      const row = await sql.get<EmailRow>(
        `INSERT INTO email_outbox (idempotency_key, site_id, conversation_id, to_addr, subject, body, message_id, in_reply_to, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING *`,
        [e.idempotencyKey, e.siteId, e.conversationId, e.to, e.subject, e.text, e.messageId, head?.message_id ?? null, now, now],
      );
      return row ? toEmail(row) : null;
    },
    async get(id: number): Promise<OutboxEmail | null> {
      const r = await sql.get<EmailRow>('SELECT * FROM email_outbox WHERE id = ?', [id]);
      return r ? toEmail(r) : null;
    },
    async byKey(key: string): Promise<OutboxEmail | null> {
      const r = await sql.get<EmailRow>('SELECT * FROM email_outbox WHERE idempotency_key = ?', [key]);
      return r ? toEmail(r) : null;
    },
    async countAttempt(id: number, now = Date.now()): Promise<void> {
      await sql.run('UPDATE email_outbox SET attempts = attempts + 1, updated_at = ? WHERE id = ?', [now, id]);
    },
    async markSent(id: number, response: string, now = Date.now()): Promise<void> {
      await setStatus(id, 'sent', null, response, now, now);
    },
    async markProblem(id: number, status: 'retrying' | 'refused' | 'failed', error: string, now = Date.now()): Promise<void> {
      await setStatus(id, status, error.slice(0, 1000), null, null, now);
    },
    /** newest first; `siteIds` limits to those sites (an agent's teams) */
    async log(q: { siteId?: string; siteIds?: readonly string[]; conversationId?: string; limit: number }): Promise<EmailLogEntry[]> {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (q.siteId !== undefined) where.push('site_id = ?'), params.push(q.siteId);
      if (q.conversationId !== undefined) where.push('conversation_id = ?'), params.push(q.conversationId);
      if (q.siteIds !== undefined) {
        if (q.siteIds.length === 0) where.push('1 = 0');
        else where.push(`site_id IN (${q.siteIds.map(() => '?').join(', ')})`), params.push(...q.siteIds);
      }
      const rows = await sql.all<EmailRow>(
        `SELECT * FROM email_outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
        [...params, q.limit],
      );
      return rows.map(toLog);
    },
  };
}
export type EmailOutboxStore = ReturnType<typeof emailOutboxStore>;

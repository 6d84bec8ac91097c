/** The e-mail outbox: one row per e-mail, unique by idempotency key, with its delivery status. */
import type { Asyncify } from './async.ts';
import type { EmailLogEntry, EmailStatus } from '../../shared/reach.ts';
import type { Db } from './db.ts';

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

export function emailOutboxStore(db: Db) {
  // the first e-mail about a conversation to the same address: later ones thread under it
  const threadHead = db.prepare<[string, string], string>(
    'SELECT message_id FROM email_outbox WHERE conversation_id = ? AND to_addr = ? ORDER BY id LIMIT 1',
  ).pluck();
  const insert = db.prepare(
    `INSERT INTO email_outbox (idempotency_key, site_id, conversation_id, to_addr, subject, body, message_id, in_reply_to, created_at, updated_at)
     VALUES (@key, @siteId, @conversationId, @to, @subject, @text, @messageId, @inReplyTo, @now, @now)
     ON CONFLICT (idempotency_key) DO NOTHING`,
  );
  const byId = db.prepare<[number], EmailRow>('SELECT * FROM email_outbox WHERE id = ?');
  const byKey = db.prepare<[string], EmailRow>('SELECT * FROM email_outbox WHERE idempotency_key = ?');
  const attempt = db.prepare('UPDATE email_outbox SET attempts = attempts + 1, updated_at = ? WHERE id = ?');
  const setStatus = db.prepare(
    'UPDATE email_outbox SET status = @status, last_error = @error, smtp_response = coalesce(@response, smtp_response), sent_at = @sentAt, updated_at = @now WHERE id = @id',
  );
  const list = db.prepare<[{ siteId: string | null; siteIds: string | null; conversationId: string | null; limit: number }], EmailRow>(
    `SELECT * FROM email_outbox
     WHERE (@siteId IS NULL OR site_id = @siteId) AND (@conversationId IS NULL OR conversation_id = @conversationId)
       AND (@siteIds IS NULL OR site_id IN (SELECT value FROM json_each(@siteIds)))
     ORDER BY id DESC LIMIT @limit`,
  );

  return {
    /** add unless the key was used before; returns the new row, or null for a repeat */
    add(e: NewEmail, now = Date.now()): OutboxEmail | null {
      const inReplyTo = e.conversationId ? threadHead.get(e.conversationId, e.to) ?? null : null;
      const res = insert.run({ key: e.idempotencyKey, siteId: e.siteId, conversationId: e.conversationId, to: e.to, subject: e.subject, text: e.text, messageId: e.messageId, inReplyTo, now });
      if (res.changes === 0) return null;
      return toEmail(byId.get(Number(res.lastInsertRowid))!);
    },
    get(id: number): OutboxEmail | null {
      const r = byId.get(id);
      return r ? toEmail(r) : null;
    },
    byKey(key: string): OutboxEmail | null {
      const r = byKey.get(key);
      return r ? toEmail(r) : null;
    },
    countAttempt(id: number, now = Date.now()): void {
      attempt.run(now, id);
    },
    markSent(id: number, response: string, now = Date.now()): void {
      setStatus.run({ id, status: 'sent', error: null, response, sentAt: now, now });
    },
    markProblem(id: number, status: 'retrying' | 'refused' | 'failed', error: string, now = Date.now()): void {
      setStatus.run({ id, status, error: error.slice(0, 1000), response: null, sentAt: null, now });
    },
    /** newest first; `siteIds` limits to those sites (an agent's teams) */
    log(q: { siteId?: string; siteIds?: readonly string[]; conversationId?: string; limit: number }): EmailLogEntry[] {
      return list
        .all({ siteId: q.siteId ?? null, siteIds: q.siteIds ? JSON.stringify(q.siteIds) : null, conversationId: q.conversationId ?? null, limit: q.limit })
        .map(toLog);
    },
  };
}
export type EmailOutboxStore = Asyncify<ReturnType<typeof emailOutboxStore>>;

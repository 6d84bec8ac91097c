import type { Asyncify } from './async.ts';
import type { Db } from './db.ts';

/**
 * Deletions for the right to be forgotten and retention. Conversations cascade to their messages
 * (and the FTS index through its trigger), answers, extractions, notes and tags.
 */
export function privacyStore(db: Db) {
  const conversationIds = db.prepare<[string], string>('SELECT id FROM conversations WHERE visitor_id = ?').pluck();
  const messageCount = db
    .prepare<[string], number>('SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.visitor_id = ?')
    .pluck();
  const visitorExists = db.prepare<[string], number>('SELECT count(*) FROM visitors WHERE id = ?').pluck();
  const deleteVisitor = db.prepare('DELETE FROM visitors WHERE id = ?');
  const deleteConversationsOf = db.prepare('DELETE FROM conversations WHERE visitor_id = ?');
  // queued work may carry the visitor's words (webhook bodies, extraction input)
  const deleteJobsFor = db.prepare(
    "DELETE FROM jobs WHERE status <> 'running' AND json_extract(payload, '$.conversationId') = ?",
  );
  const oldConversations = db.prepare<[string, number, number], string>(
    `SELECT id FROM conversations WHERE site_id = ? AND coalesce(ended_at, last_activity_at) < ? LIMIT ?`,
  ).pluck();
  const deleteConversation = db.prepare('DELETE FROM conversations WHERE id = ?');

  const forget = db.transaction((visitorId: string) => {
    const ids = conversationIds.all(visitorId);
    const messages = messageCount.get(visitorId) ?? 0;
    for (const id of ids) deleteJobsFor.run(id);
    deleteConversationsOf.run(visitorId);
    deleteVisitor.run(visitorId);
    return { conversations: ids.length, messages };
  });

  const deleteBatch = db.transaction((ids: string[]) => {
    for (const id of ids) {
      deleteJobsFor.run(id);
      deleteConversation.run(id);
    }
  });

  return {
    visitorExists(visitorId: string): boolean {
      return (visitorExists.get(visitorId) ?? 0) > 0;
    },
    /** everything about one visitor, in one transaction */
    forgetVisitor(visitorId: string): { conversations: number; messages: number } {
      return forget(visitorId);
    },
    /**
     * Delete up to `batch` of a site's conversations whose last activity is before `cutoff`;
     * returns how many. Small batches keep each write transaction short.
     */
    deleteConversationsBefore(siteId: string, cutoff: number, batch = 500): number {
      const ids = oldConversations.all(siteId, cutoff, batch);
      if (ids.length) deleteBatch(ids);
      return ids.length;
    },
  };
}
export type PrivacyStore = Asyncify<ReturnType<typeof privacyStore>>;

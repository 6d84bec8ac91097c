import type { Sql } from './sql.ts';

const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/**
 * Deletions for the right to be forgotten and retention. Conversations cascade to their messages
 * (and the FTS index through its trigger), answers, extractions, notes and tags.
 */
export function privacyStore(sql: Sql) {
  // queued work may carry the visitor's words (webhook bodies, extraction input)
  const jobConversation =
    sql.dialect === 'sqlite' ? "json_extract(payload, '$.conversationId')" : "(CAST(payload AS jsonb) ->> 'conversationId')";

  return {
    async visitorExists(visitorId: string): Promise<boolean> {
      return ((await sql.get<{ n: number }>('SELECT count(*) AS n FROM visitors WHERE id = ?', [visitorId]))?.n ?? 0) > 0;
    },
    /** everything about one visitor, in one transaction */
    async forgetVisitor(visitorId: string): Promise<{ conversations: number; messages: number }> {
      return sql.tx(async () => {
        const ids = (await sql.all<{ id: string }>('SELECT id FROM conversations WHERE visitor_id = ?', [visitorId])).map((r) => r.id);
        const messages =
          (
            await sql.get<{ n: number }>(
              'SELECT count(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.visitor_id = ?',
              [visitorId],
            )
          )?.n ?? 0;
        if (ids.length > 0) {
          await sql.run(`DELETE FROM jobs WHERE status <> 'running' AND ${jobConversation} IN (${marks(ids.length)})`, ids);
        }
        await sql.run('DELETE FROM conversations WHERE visitor_id = ?', [visitorId]);
        await sql.run('DELETE FROM visitors WHERE id = ?', [visitorId]);
        return { conversations: ids.length, messages };
      });
    },
    /**
     * Delete up to `batch` of a site's conversations whose last activity is before `cutoff`;
     * returns how many. Small batches keep each write transaction short.
     */
    async deleteConversationsBefore(siteId: string, cutoff: number, batch = 500): Promise<number> {
      const ids = (
        await sql.all<{ id: string }>(
          'SELECT id FROM conversations WHERE site_id = ? AND COALESCE(ended_at, last_activity_at) < ? LIMIT ?',
          [siteId, cutoff, batch],
        )
      ).map((r) => r.id);
      if (ids.length) {
        await sql.tx(async () => {
          await sql.run(`DELETE FROM jobs WHERE status <> 'running' AND ${jobConversation} IN (${marks(ids.length)})`, ids);
          await sql.run(`DELETE FROM conversations WHERE id IN (${marks(ids.length)})`, ids);
        });
      }
      return ids.length;
    },
  };
}
export type PrivacyStore = ReturnType<typeof privacyStore>;

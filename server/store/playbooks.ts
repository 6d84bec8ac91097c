/** Per-site playbook switches and the playbook runs (each at most once per conversation). */
import { PlaybookSettings, type PlaybookName, type PlaybookRun } from '../../shared/reach.ts';
import type { Sql } from './sql.ts';

interface RunRow {
  id: number;
  idempotency_key: string;
  playbook: PlaybookName;
  site_id: string;
  conversation_id: string;
  status: PlaybookRun['status'];
  run_at: number;
  recheck_conversation_id: string | null;
  outcome: PlaybookRun['outcome'];
  detail: string | null;
}

const toRun = (r: RunRow): PlaybookRun => ({
  id: r.id,
  playbook: r.playbook,
  conversationId: r.conversation_id,
  status: r.status,
  runAt: r.run_at,
  recheckConversationId: r.recheck_conversation_id,
  outcome: r.outcome,
  detail: r.detail,
});

const DEFAULTS = PlaybookSettings.parse({});

export function playbooksStore(sql: Sql) {
  return {
    async settings(siteId: string): Promise<PlaybookSettings> {
      const row = await sql.get<{ data: string }>('SELECT data FROM playbook_settings WHERE site_id = ?', [siteId]);
      if (row === undefined) return DEFAULTS;
      const parsed = PlaybookSettings.safeParse(JSON.parse(row.data));
      return parsed.success ? parsed.data : DEFAULTS;
    },
    async saveSettings(siteId: string, s: PlaybookSettings, now = Date.now()): Promise<void> {
      await sql.run(
        `INSERT INTO playbook_settings (site_id, data, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (site_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
        [siteId, JSON.stringify(s), now],
      );
    },
    /** schedule unless this playbook already ran (or is scheduled) for the conversation; the new run or null */
    async schedule(playbook: PlaybookName, siteId: string, conversationId: string, runAt: number, now = Date.now()): Promise<PlaybookRun | null> {
      const key = `${playbook}:${conversationId}`;
      const row = await sql.get<RunRow>(
        `INSERT INTO playbook_runs (idempotency_key, playbook, site_id, conversation_id, run_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING RETURNING *`,
        [key, playbook, siteId, conversationId, runAt, now, now],
      );
      return row ? toRun(row) : null;
    },
    async get(id: number): Promise<(PlaybookRun & { siteId: string }) | null> {
      const r = await sql.get<RunRow>('SELECT * FROM playbook_runs WHERE id = ?', [id]);
      return r ? { ...toRun(r), siteId: r.site_id } : null;
    },
    /** a scheduled run is done (sent or skipped); false when it was not scheduled any more */
    async finish(
      id: number,
      status: 'sent' | 'skipped',
      detail: string | null,
      recheckConversationId: string | null = null,
      now = Date.now(),
    ): Promise<boolean> {
      const r = await sql.run(
        `UPDATE playbook_runs SET status = ?, detail = ?, recheck_conversation_id = COALESCE(?, recheck_conversation_id), updated_at = ?
         WHERE id = ? AND status = 'scheduled'`,
        [status, detail, recheckConversationId, now, id],
      );
      return r.changes > 0;
    },
    async list(conversationId: string): Promise<PlaybookRun[]> {
      return (await sql.all<RunRow>('SELECT * FROM playbook_runs WHERE conversation_id = ? ORDER BY id', [conversationId])).map(toRun);
    },
    async pendingRecheck(visitorId: string): Promise<PlaybookRun | null> {
      // a detractor check-in that is due and waits for the visitor's next visit to start its chat
      const r = await sql.get<RunRow>(
        `SELECT p.* FROM playbook_runs p JOIN conversations c ON c.id = p.conversation_id
         WHERE c.visitor_id = ? AND p.playbook = 'recheck_detractor' AND p.status = 'sent' AND p.recheck_conversation_id IS NULL
         ORDER BY p.run_at LIMIT 1`,
        [visitorId],
      );
      return r ? toRun(r) : null;
    },
    async linkRecheck(id: number, conversationId: string, now = Date.now()): Promise<boolean> {
      const r = await sql.run('UPDATE playbook_runs SET recheck_conversation_id = ?, updated_at = ? WHERE id = ? AND recheck_conversation_id IS NULL', [
        conversationId,
        now,
        id,
      ]);
      return r.changes > 0;
    },
    async byRecheckConversation(conversationId: string): Promise<PlaybookRun | null> {
      const r = await sql.get<RunRow>('SELECT * FROM playbook_runs WHERE recheck_conversation_id = ?', [conversationId]);
      return r ? toRun(r) : null;
    },
    async recordAnswer(id: number, outcome: 'recovered' | 'not_recovered', detail: string, now = Date.now()): Promise<void> {
      await sql.run(`UPDATE playbook_runs SET status = 'answered', outcome = ?, detail = ?, updated_at = ? WHERE id = ?`, [outcome, detail, now, id]);
    },
  };
}
export type PlaybooksStore = ReturnType<typeof playbooksStore>;

/** Per-site playbook switches and the playbook runs (each at most once per conversation). */
import type { Asyncify } from './async.ts';
import { PlaybookSettings, type PlaybookName, type PlaybookRun } from '../../shared/reach.ts';
import type { Db } from './db.ts';

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

export function playbooksStore(db: Db) {
  const settingsOf = db.prepare<[string], string>('SELECT data FROM playbook_settings WHERE site_id = ?').pluck();
  const saveSettings = db.prepare(
    `INSERT INTO playbook_settings (site_id, data, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (site_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
  );
  const insertRun = db.prepare(
    `INSERT INTO playbook_runs (idempotency_key, playbook, site_id, conversation_id, run_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
  );
  const byId = db.prepare<[number], RunRow>('SELECT * FROM playbook_runs WHERE id = ?');
  const byKey = db.prepare<[string], RunRow>('SELECT * FROM playbook_runs WHERE idempotency_key = ?');
  const ofConversation = db.prepare<[string], RunRow>('SELECT * FROM playbook_runs WHERE conversation_id = ? ORDER BY id');
  const byRecheck = db.prepare<[string], RunRow>('SELECT * FROM playbook_runs WHERE recheck_conversation_id = ?');
  const finish = db.prepare(
    `UPDATE playbook_runs SET status = @status, detail = @detail, recheck_conversation_id = coalesce(@recheck, recheck_conversation_id), updated_at = @now
     WHERE id = @id AND status = 'scheduled'`,
  );
  // a detractor check-in that is due and waits for the visitor's next visit to start its chat
  const pendingRecheck = db.prepare<[string], RunRow>(
    `SELECT p.* FROM playbook_runs p JOIN conversations c ON c.id = p.conversation_id
     WHERE c.visitor_id = ? AND p.playbook = 'recheck_detractor' AND p.status = 'sent' AND p.recheck_conversation_id IS NULL
     ORDER BY p.run_at LIMIT 1`,
  );
  const linkRecheck = db.prepare(
    'UPDATE playbook_runs SET recheck_conversation_id = ?, updated_at = ? WHERE id = ? AND recheck_conversation_id IS NULL',
  );
  const answer = db.prepare(
    `UPDATE playbook_runs SET status = 'answered', outcome = ?, detail = ?, updated_at = ? WHERE id = ?`,
  );

  return {
    settings(siteId: string): PlaybookSettings {
      const raw = settingsOf.get(siteId);
      if (raw === undefined) return DEFAULTS;
      const parsed = PlaybookSettings.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : DEFAULTS;
    },
    saveSettings(siteId: string, s: PlaybookSettings, now = Date.now()): void {
      saveSettings.run(siteId, JSON.stringify(s), now);
    },
    /** schedule unless this playbook already ran (or is scheduled) for the conversation; the new run or null */
    schedule(playbook: PlaybookName, siteId: string, conversationId: string, runAt: number, now = Date.now()): PlaybookRun | null {
      const key = `${playbook}:${conversationId}`;
      const res = insertRun.run(key, playbook, siteId, conversationId, runAt, now, now);
      return res.changes > 0 ? toRun(byKey.get(key)!) : null;
    },
    get(id: number): (PlaybookRun & { siteId: string }) | null {
      const r = byId.get(id);
      return r ? { ...toRun(r), siteId: r.site_id } : null;
    },
    /** a scheduled run is done (sent or skipped); false when it was not scheduled any more */
    finish(id: number, status: 'sent' | 'skipped', detail: string | null, recheckConversationId: string | null = null, now = Date.now()): boolean {
      return finish.run({ id, status, detail, recheck: recheckConversationId, now }).changes > 0;
    },
    list(conversationId: string): PlaybookRun[] {
      return ofConversation.all(conversationId).map(toRun);
    },
    pendingRecheck(visitorId: string): PlaybookRun | null {
      const r = pendingRecheck.get(visitorId);
      return r ? toRun(r) : null;
    },
    linkRecheck(id: number, conversationId: string, now = Date.now()): boolean {
      return linkRecheck.run(conversationId, now, id).changes > 0;
    },
    byRecheckConversation(conversationId: string): PlaybookRun | null {
      const r = byRecheck.get(conversationId);
      return r ? toRun(r) : null;
    },
    recordAnswer(id: number, outcome: 'recovered' | 'not_recovered', detail: string, now = Date.now()): void {
      answer.run(outcome, detail, now, id);
    },
  };
}
export type PlaybooksStore = Asyncify<ReturnType<typeof playbooksStore>>;

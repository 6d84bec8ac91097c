/**
 * What routing reads about a conversation (for rule conditions) and writes on it (team,
 * priority, tags, follow-up with a due time), and the follow-ups inbox.
 */
import type { FollowUpStatus } from '../../shared/admin-api.ts';
import { Urgency } from '../../shared/extraction.ts';
import type { FollowUpItem } from '../../shared/respond.ts';
import { Priority } from '../../shared/rules.ts';
import type { Sql } from './sql.ts';

/** The conversation facts rule conditions look at. */
export interface RoutingFacts {
  conversationId: string;
  siteId: string;
  flowId: string | null;
  source: string;
  visitorId: string | null;
  visitorName: string | null;
  visitorEmail: string | null;
  visitorVerified: boolean;
  visitorLocale: string | null;
  followUpStatus: FollowUpStatus;
  /** the visitor's messages, in order */
  visitorTexts: string[];
}

interface FactsRow {
  id: string;
  site_id: string;
  flow_id: string | null;
  source: string;
  visitor_id: string | null;
  name: string | null;
  email: string | null;
  verified: number | null;
  locale: string | null;
  follow_up_status: FollowUpStatus;
}

interface InboxRow {
  id: string;
  site_id: string;
  follow_up_status: 'open' | 'assigned';
  follow_up_urgency: string | null;
  priority: string;
  follow_up_due_at: number | null;
  follow_up_opened_at: number | null;
  started_at: number;
  follow_up_assignee: string | null;
  assignee_name: string | null;
  team_id: string | null;
  visitor_name: string | null;
  reason: string | null;
  preview: string | null;
}

/** Site scope of a read: null means every site. */
export type SiteScope = readonly string[] | null;

const URGENCY_RANK = `CASE c.follow_up_urgency WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END`;

/** due within this long counts as "due soon" */
export const DUE_SOON_MS = 4 * 60 * 60_000;

export function slaOf(dueAt: number | null, now: number): FollowUpItem['sla'] {
  if (dueAt === null) return 'none';
  if (dueAt <= now) return 'overdue';
  return dueAt - now <= DUE_SOON_MS ? 'due_soon' : 'ok';
}

const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

export function routingStore(sql: Sql) {
  const factsOf = (conversationId: string) =>
    sql.get<FactsRow>(
      `SELECT c.id, c.site_id, c.flow_id, c.source, c.visitor_id, c.follow_up_status, v.name, v.email, v.verified, v.locale
       FROM conversations c LEFT JOIN visitors v ON v.id = c.visitor_id WHERE c.id = ?`,
      [conversationId],
    );
  const reason =
    sql.dialect === 'sqlite' ? "json_extract(e.data, '$.followUp.reason')" : "(CAST(e.data AS jsonb) -> 'followUp' ->> 'reason')";
  // an empty scope sees nothing
  const scopeSql = (scope: readonly string[]): string => (scope.length === 0 ? 'AND 1 = 0' : `AND c.site_id IN (${marks(scope.length)})`);
  const inboxSql = (scope: SiteScope, mine: boolean, site: boolean) => `
    SELECT c.id, c.site_id, c.follow_up_status, c.follow_up_urgency, c.priority, c.follow_up_due_at,
           COALESCE(c.follow_up_opened_at, c.ended_at, c.started_at) AS follow_up_opened_at, c.started_at,
           c.follow_up_assignee, u.name AS assignee_name, c.team_id, v.name AS visitor_name,
           ${reason} AS reason,
           (SELECT substr(m.text, 1, 160) FROM messages m WHERE m.conversation_id = c.id AND m.author = 'visitor' ORDER BY m.seq LIMIT 1) AS preview
    FROM conversations c
    LEFT JOIN users u ON u.id = c.follow_up_assignee
    LEFT JOIN visitors v ON v.id = c.visitor_id
    LEFT JOIN extractions e ON e.conversation_id = c.id
    WHERE c.follow_up_status IN ('open', 'assigned')
      ${scope !== null ? scopeSql(scope) : ''}
      ${mine ? 'AND c.follow_up_assignee = ?' : ''}
      ${site ? 'AND c.site_id = ?' : ''}
    ORDER BY ${URGENCY_RANK} DESC, c.follow_up_due_at IS NULL, c.follow_up_due_at, c.started_at
    LIMIT ?`;
  const countSql = (scope: SiteScope) => `
    SELECT count(*) AS open,
           COALESCE(sum(CASE WHEN c.follow_up_assignee = ? THEN 1 ELSE 0 END), 0) AS mine,
           COALESCE(sum(CASE WHEN c.follow_up_due_at IS NOT NULL AND c.follow_up_due_at <= ? THEN 1 ELSE 0 END), 0) AS overdue
    FROM conversations c WHERE c.follow_up_status IN ('open', 'assigned')
      ${scope !== null ? scopeSql(scope) : ''}`;

  return {
    async facts(conversationId: string): Promise<RoutingFacts | null> {
      const r = await factsOf(conversationId);
      if (!r) return null;
      const texts = await sql.all<{ text: string }>(`SELECT text FROM messages WHERE conversation_id = ? AND author = 'visitor' ORDER BY seq`, [
        conversationId,
      ]);
      return {
        conversationId: r.id,
        siteId: r.site_id,
        flowId: r.flow_id,
        source: r.source,
        visitorId: r.visitor_id,
        visitorName: r.name,
        visitorEmail: r.email,
        visitorVerified: r.verified === 1,
        visitorLocale: r.locale,
        followUpStatus: r.follow_up_status,
        visitorTexts: texts.map((t) => t.text),
      };
    },
    async routing(conversationId: string) {
      const r = await sql.get<{ priority: string; team_id: string | null; follow_up_due_at: number | null; follow_up_urgency: string | null }>(
        'SELECT priority, team_id, follow_up_due_at, follow_up_urgency FROM conversations WHERE id = ?',
        [conversationId],
      );
      if (!r) return null;
      return {
        priority: Priority.catch('normal').parse(r.priority),
        teamId: r.team_id,
        followUpDueAt: r.follow_up_due_at,
        followUpUrgency: Urgency.nullable().catch(null).parse(r.follow_up_urgency),
      };
    },
    setPriority: async (id: string, p: Priority): Promise<void> => {
      await sql.run('UPDATE conversations SET priority = ? WHERE id = ?', [p, id]);
    },
    setTeam: async (id: string, teamId: string): Promise<void> => {
      await sql.run('UPDATE conversations SET team_id = ? WHERE id = ?', [teamId, id]);
    },
    setAssignee: async (id: string, userId: string): Promise<void> => {
      await sql.run(
        `UPDATE conversations SET follow_up_assignee = ?,
           follow_up_status = CASE follow_up_status WHEN 'open' THEN 'assigned' ELSE follow_up_status END WHERE id = ?`,
        [userId, id],
      );
    },
    async addTags(id: string, tags: string[]): Promise<void> {
      if (tags.length === 0) return;
      await sql.run(
        `INSERT INTO conversation_tags (conversation_id, tag) VALUES ${tags.map(() => '(?, ?)').join(', ')} ON CONFLICT DO NOTHING`,
        tags.flatMap((t) => [id, t]),
      );
    },
    /** true when the follow-up was opened now (false: one was already open or done) */
    async openFollowUp(id: string, dueAt: number, urgency: string | null, now = Date.now()): Promise<boolean> {
      // a follow-up opens once: one already open, assigned or done stays as it is
      const r = await sql.run(
        `UPDATE conversations SET
           follow_up_status = CASE WHEN follow_up_assignee IS NULL THEN 'open' ELSE 'assigned' END,
           follow_up_due_at = ?, follow_up_urgency = ?, follow_up_opened_at = ?
         WHERE id = ? AND follow_up_status = 'none'`,
        [dueAt, urgency, now, id],
      );
      return r.changes > 0;
    },
    async inbox(opts: { scope: SiteScope; mine: string | null; siteId?: string; limit: number }, now = Date.now()): Promise<FollowUpItem[]> {
      const params: (string | number)[] = [...(opts.scope ?? [])];
      if (opts.mine !== null) params.push(opts.mine);
      if (opts.siteId !== undefined) params.push(opts.siteId);
      params.push(opts.limit);
      const rows = await sql.all<InboxRow>(inboxSql(opts.scope, opts.mine !== null, opts.siteId !== undefined), params);
      return rows.map((r) => ({
        conversationId: r.id,
        siteId: r.site_id,
        status: r.follow_up_status,
        urgency: Urgency.nullable().catch(null).parse(r.follow_up_urgency),
        priority: Priority.catch('normal').parse(r.priority),
        dueAt: r.follow_up_due_at,
        openedAt: r.follow_up_opened_at ?? r.started_at,
        startedAt: r.started_at,
        assignee: r.follow_up_assignee ? { id: r.follow_up_assignee, name: r.assignee_name ?? 'unknown' } : null,
        teamId: r.team_id,
        visitorName: r.visitor_name,
        reason: typeof r.reason === 'string' ? r.reason : null,
        preview: r.preview,
        sla: slaOf(r.follow_up_due_at, now),
      }));
    },
    async count(scope: SiteScope, me: string, now = Date.now()): Promise<{ open: number; mine: number; overdue: number }> {
      const r = await sql.get<{ open: number; mine: number; overdue: number }>(countSql(scope), [me, now, ...(scope ?? [])]);
      return { open: r?.open ?? 0, mine: r?.mine ?? 0, overdue: r?.overdue ?? 0 };
    },
    siteOf: async (conversationId: string): Promise<string | null> =>
      (await sql.get<{ site_id: string }>('SELECT site_id FROM conversations WHERE id = ?', [conversationId]))?.site_id ?? null,
  };
}
export type RoutingStore = ReturnType<typeof routingStore>;

/**
 * What routing reads about a conversation (for rule conditions) and writes on it (team,
 * priority, tags, follow-up with a due time), and the follow-ups inbox.
 */
import type { Asyncify } from './async.ts';
import type { FollowUpStatus } from '../../shared/admin-api.ts';
import { Urgency } from '../../shared/extraction.ts';
import type { FollowUpItem } from '../../shared/respond.ts';
import { Priority } from '../../shared/rules.ts';
import type { Db } from './db.ts';

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

export function routingStore(db: Db) {
  const facts = db.prepare<[string], FactsRow>(
    `SELECT c.id, c.site_id, c.flow_id, c.source, c.visitor_id, c.follow_up_status, v.name, v.email, v.verified, v.locale
     FROM conversations c LEFT JOIN visitors v ON v.id = c.visitor_id WHERE c.id = ?`,
  );
  const visitorTexts = db.prepare<[string], string>(`SELECT text FROM messages WHERE conversation_id = ? AND author = 'visitor' ORDER BY seq`).pluck();
  const setPriority = db.prepare('UPDATE conversations SET priority = ? WHERE id = ?');
  const setTeam = db.prepare('UPDATE conversations SET team_id = ? WHERE id = ?');
  const setAssignee = db.prepare(
    `UPDATE conversations SET follow_up_assignee = ?,
       follow_up_status = CASE follow_up_status WHEN 'open' THEN 'assigned' ELSE follow_up_status END WHERE id = ?`,
  );
  const addTag = db.prepare('INSERT OR IGNORE INTO conversation_tags (conversation_id, tag) VALUES (?, ?)');
  // a follow-up opens once: one already open, assigned or done stays as it is
  const openFollowUp = db.prepare(
    `UPDATE conversations SET
       follow_up_status = CASE WHEN follow_up_assignee IS NULL THEN 'open' ELSE 'assigned' END,
       follow_up_due_at = ?, follow_up_urgency = ?, follow_up_opened_at = ?
     WHERE id = ? AND follow_up_status = 'none'`,
  );
  const routing = db.prepare<[string], { priority: string; team_id: string | null; follow_up_due_at: number | null; follow_up_urgency: string | null }>(
    'SELECT priority, team_id, follow_up_due_at, follow_up_urgency FROM conversations WHERE id = ?',
  );
  const inboxSql = (scoped: boolean, mine: boolean, site: boolean) => `
    SELECT c.id, c.site_id, c.follow_up_status, c.follow_up_urgency, c.priority, c.follow_up_due_at,
           coalesce(c.follow_up_opened_at, c.ended_at, c.started_at) AS follow_up_opened_at, c.started_at,
           c.follow_up_assignee, u.name AS assignee_name, c.team_id, v.name AS visitor_name,
           json_extract(e.data, '$.followUp.reason') AS reason,
           (SELECT substr(m.text, 1, 160) FROM messages m WHERE m.conversation_id = c.id AND m.author = 'visitor' ORDER BY m.seq LIMIT 1) AS preview
    FROM conversations c
    LEFT JOIN users u ON u.id = c.follow_up_assignee
    LEFT JOIN visitors v ON v.id = c.visitor_id
    LEFT JOIN extractions e ON e.conversation_id = c.id
    WHERE c.follow_up_status IN ('open', 'assigned')
      ${scoped ? 'AND c.site_id IN (SELECT value FROM json_each(@sites))' : ''}
      ${mine ? 'AND c.follow_up_assignee = @me' : ''}
      ${site ? 'AND c.site_id = @site' : ''}
    ORDER BY ${URGENCY_RANK} DESC, c.follow_up_due_at IS NULL, c.follow_up_due_at, c.started_at
    LIMIT @limit`;
  const countSql = (scoped: boolean) => `
    SELECT count(*) AS open,
           coalesce(sum(c.follow_up_assignee = @me), 0) AS mine,
           coalesce(sum(c.follow_up_due_at IS NOT NULL AND c.follow_up_due_at <= @now), 0) AS overdue
    FROM conversations c WHERE c.follow_up_status IN ('open', 'assigned')
      ${scoped ? 'AND c.site_id IN (SELECT value FROM json_each(@sites))' : ''}`;
  const cache = new Map<string, ReturnType<typeof db.prepare>>();
  const stmt = (sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };

  return {
    facts(conversationId: string): RoutingFacts | null {
      const r = facts.get(conversationId);
      if (!r) return null;
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
        visitorTexts: visitorTexts.all(conversationId),
      };
    },
    routing(conversationId: string) {
      const r = routing.get(conversationId);
      if (!r) return null;
      return {
        priority: Priority.catch('normal').parse(r.priority),
        teamId: r.team_id,
        followUpDueAt: r.follow_up_due_at,
        followUpUrgency: Urgency.nullable().catch(null).parse(r.follow_up_urgency),
      };
    },
    setPriority: (id: string, p: Priority) => void setPriority.run(p, id),
    setTeam: (id: string, teamId: string) => void setTeam.run(teamId, id),
    setAssignee: (id: string, userId: string) => void setAssignee.run(userId, id),
    addTags(id: string, tags: string[]): void {
      for (const t of tags) addTag.run(id, t);
    },
    /** true when the follow-up was opened now (false: one was already open or done) */
    openFollowUp(id: string, dueAt: number, urgency: string | null, now = Date.now()): boolean {
      return openFollowUp.run(dueAt, urgency, now, id).changes > 0;
    },
    inbox(opts: { scope: SiteScope; mine: string | null; siteId?: string; limit: number }, now = Date.now()): FollowUpItem[] {
      const sql = inboxSql(opts.scope !== null, opts.mine !== null, opts.siteId !== undefined);
      const rows = stmt(sql).all({
        ...(opts.scope !== null ? { sites: JSON.stringify(opts.scope) } : {}),
        ...(opts.mine !== null ? { me: opts.mine } : {}),
        ...(opts.siteId !== undefined ? { site: opts.siteId } : {}),
        limit: opts.limit,
      }) as InboxRow[];
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
    count(scope: SiteScope, me: string, now = Date.now()): { open: number; mine: number; overdue: number } {
      const r = stmt(countSql(scope !== null)).get({ ...(scope !== null ? { sites: JSON.stringify(scope) } : {}), me, now }) as {
        open: number;
        mine: number;
        overdue: number;
      };
      return { open: r.open, mine: r.mine, overdue: r.overdue };
    },
    siteOf: (conversationId: string): string | null => facts.get(conversationId)?.site_id ?? null,
  };
}
export type RoutingStore = Asyncify<ReturnType<typeof routingStore>>;

import type { ConversationView, EndReason } from '../../shared/conversation.ts';
import { EndReason as EndReasonSchema } from '../../shared/conversation.ts';
import type { Sql } from './sql.ts';
import { uuidv7 } from './ids.ts';

/** A conversation as the server sees it (the widget gets `toView(c)`). */
export interface Conversation {
  id: string;
  siteId: string;
  visitorId: string | null;
  flowId: string | null;
  source: string;
  status: 'open' | 'ended';
  mode: 'bot' | 'human';
  agentId: string | null;
  agentName: string | null;
  /** the engine's state; opaque here, the engine validates it */
  state: unknown;
  pageUrl: string | null;
  needsHuman: boolean;
  lastSeq: number;
  startedAt: number;
  lastActivityAt: number;
  endedAt: number | null;
  endReason: EndReason | null;
}

interface ConversationRow {
  id: string;
  site_id: string;
  visitor_id: string | null;
  flow_id: string | null;
  source: string;
  status: 'open' | 'ended';
  mode: 'bot' | 'human';
  agent_id: string | null;
  agent_name: string | null;
  state: string;
  page_url: string | null;
  needs_human: number;
  last_seq: number;
  started_at: number;
  last_activity_at: number;
  ended_at: number | null;
  end_reason: string | null;
}

/**
 * The columns a Conversation is built from. Not `SELECT *`: the table has grown columns other
 * parts read on their own (follow-ups, ingest...), and every extra column read costs on every
 * bot turn (24 columns 14-19 us a row against 8-12 us for these, measured here).
 */
const COLUMNS =
  'id, site_id, visitor_id, flow_id, source, status, mode, agent_id, agent_name, state, page_url, needs_human, last_seq, started_at, last_activity_at, ended_at, end_reason';

/** built once: every bot turn reads a conversation, and a text built per call is hashed per call to find its statement */
const GET = `SELECT ${COLUMNS} FROM conversations WHERE id = ?`;

/** the state as stored */
export const stateJson = (state: unknown): string => JSON.stringify(state ?? {});

function parseState(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    // a corrupt state restarts the engine's view of it rather than breaking the conversation
    return {};
  }
}

const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  siteId: r.site_id,
  visitorId: r.visitor_id,
  flowId: r.flow_id,
  source: r.source,
  status: r.status,
  mode: r.mode,
  agentId: r.agent_id,
  agentName: r.agent_name,
  state: parseState(r.state),
  pageUrl: r.page_url,
  needsHuman: r.needs_human === 1,
  lastSeq: r.last_seq,
  startedAt: r.started_at,
  lastActivityAt: r.last_activity_at,
  endedAt: r.ended_at,
  endReason: r.end_reason === null ? null : EndReasonSchema.catch('visitor').parse(r.end_reason),
});

export function toView(c: Conversation): ConversationView {
  return {
    id: c.id,
    flowId: c.flowId,
    status: c.status,
    mode: c.mode,
    agentName: c.mode === 'human' ? c.agentName : null,
    startedAt: c.startedAt,
    endedAt: c.endedAt,
    endReason: c.endReason,
  };
}

export interface NewConversation {
  siteId: string;
  visitorId: string | null;
  flowId: string | null;
  source?: string;
  pageUrl?: string | null;
  state?: unknown;
}

export function conversationsStore(sql: Sql) {
  // each site has its own idle timeout, kept in its settings JSON
  const idleSql =
    sql.dialect === 'sqlite'
      ? `SELECT c.id FROM conversations c JOIN sites s ON s.id = c.site_id
         WHERE c.status = 'open'
           AND c.last_activity_at < ? - COALESCE(json_extract(s.settings, '$.idleTimeoutMinutes'), 30) * 60000
         ORDER BY c.last_activity_at, c.id LIMIT 500`
      : `SELECT c.id FROM conversations c JOIN sites s ON s.id = c.site_id
         WHERE c.status = 'open'
           AND c.last_activity_at < CAST(? AS BIGINT) - COALESCE(CAST(CAST(s.settings AS jsonb) ->> 'idleTimeoutMinutes' AS DOUBLE PRECISION), 30) * 60000
         ORDER BY c.last_activity_at, c.id LIMIT 500`;

  const get = async (id: string): Promise<Conversation | null> => {
    const row = await sql.get<ConversationRow>(GET, [id]);
    return row ? toConversation(row) : null;
  };

  return {
    async create(input: NewConversation, now = Date.now()): Promise<Conversation> {
      const id = uuidv7(now);
      await sql.run(
        `INSERT INTO conversations (id, site_id, visitor_id, flow_id, source, state, page_url, started_at, last_activity_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [id, input.siteId, input.visitorId, input.flowId, input.source ?? 'widget', JSON.stringify(input.state ?? {}), input.pageUrl ?? null, now, now],
      );
      return (await get(id))!;
    },
    get,
    /** whose it is and whether it takes messages: what every visitor message checks, without the state */
    async owner(
      id: string,
    ): Promise<{
      id: string;
      siteId: string;
      visitorId: string | null;
      status: 'open' | 'ended';
      mode: 'bot' | 'human';
      endReason: EndReason | null;
    } | null> {
      const row = await sql.get<{ site_id: string; visitor_id: string | null; status: 'open' | 'ended'; mode: 'bot' | 'human'; end_reason: string | null }>(
        'SELECT site_id, visitor_id, status, mode, end_reason FROM conversations WHERE id = ?',
        [id],
      );
      if (!row) return null;
      const endReason = row.end_reason === null ? null : EndReasonSchema.catch('visitor').parse(row.end_reason);
      return { id, siteId: row.site_id, visitorId: row.visitor_id, status: row.status, mode: row.mode, endReason };
    },
    /**
     * What a bot turn checks before storing its result: still open, still the bot's, and the state
     * as stored (JSON), without building the whole conversation again.
     */
    async gate(id: string): Promise<{ status: 'open' | 'ended'; mode: 'bot' | 'human'; stateJson: string; lastSeq: number } | null> {
      const row = await sql.get<{ status: 'open' | 'ended'; mode: 'bot' | 'human'; state: string; last_seq: number }>(
        'SELECT status, mode, state, last_seq FROM conversations WHERE id = ?',
        [id],
      );
      return row ? { status: row.status, mode: row.mode, stateJson: row.state, lastSeq: row.last_seq } : null;
    },
    /** the visitor's latest open conversation (for one flow when given) */
    async latestOpen(visitorId: string, flowId?: string): Promise<Conversation | null> {
      const row =
        flowId === undefined
          ? await sql.get<ConversationRow>(
              `SELECT ${COLUMNS} FROM conversations WHERE visitor_id = ? AND status = 'open' ORDER BY started_at DESC, id DESC LIMIT 1`,
              [visitorId],
            )
          : await sql.get<ConversationRow>(
              `SELECT ${COLUMNS} FROM conversations WHERE visitor_id = ? AND flow_id = ? AND status = 'open' ORDER BY started_at DESC, id DESC LIMIT 1`,
              [visitorId, flowId],
            );
      return row ? toConversation(row) : null;
    },
    /** the visitor's conversation that ended last, if it ended at or after `since` */
    async latestEndedSince(visitorId: string, since: number): Promise<Conversation | null> {
      const row = await sql.get<ConversationRow>(
        `SELECT ${COLUMNS} FROM conversations WHERE visitor_id = ? AND status = 'ended' AND ended_at >= ? ORDER BY ended_at DESC, id DESC LIMIT 1`,
        [visitorId, since],
      );
      return row ? toConversation(row) : null;
    },
    async setState(id: string, state: unknown, now = Date.now()): Promise<void> {
      await sql.run('UPDATE conversations SET state = ?, last_activity_at = ? WHERE id = ?', [stateJson(state), now, id]);
    },
    async markNeedsHuman(id: string): Promise<void> {
      await sql.run(
        `UPDATE conversations SET needs_human = 1,
           follow_up_status = CASE follow_up_status WHEN 'none' THEN 'open' ELSE follow_up_status END WHERE id = ?`,
        [id],
      );
    },
    async setMode(id: string, mode: 'bot' | 'human', agent: { id: string; name: string } | null, now = Date.now()): Promise<void> {
      await sql.run('UPDATE conversations SET mode = ?, agent_id = ?, agent_name = ?, last_activity_at = ? WHERE id = ?', [
        mode,
        agent?.id ?? null,
        agent?.name ?? null,
        now,
        id,
      ]);
    },
    /** true when this call ended it (false: unknown or already ended) */
    async end(id: string, reason: EndReason, now = Date.now()): Promise<boolean> {
      const r = await sql.run(
        `UPDATE conversations SET status = 'ended', ended_at = ?, end_reason = ?,
           last_activity_at = CASE WHEN last_activity_at > ? THEN last_activity_at ELSE ? END
         WHERE id = ? AND status = 'open'`,
        [now, reason, now, now, id],
      );
      return r.changes === 1;
    },
    /**
     * Open again a conversation the idle timeout ended (a visitor wrote to it after all); one that
     * ended any other way stays ended. True when this call reopened it.
     */
    async reopenIdle(id: string, now = Date.now()): Promise<boolean> {
      const r = await sql.run(
        `UPDATE conversations SET status = 'open', ended_at = NULL, end_reason = NULL, last_activity_at = ?
         WHERE id = ? AND status = 'ended' AND end_reason = 'idle'`,
        [now, id],
      );
      return r.changes === 1;
    },
    /** ids of open conversations idle past their site's timeout, oldest first */
    async idleIds(now = Date.now()): Promise<string[]> {
      return (await sql.all<{ id: string }>(idleSql, [now])).map((r) => r.id);
    },
  };
}
export type ConversationsStore = ReturnType<typeof conversationsStore>;

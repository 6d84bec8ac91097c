import type { AuditEntry } from '../../shared/admin-api.ts';
import type { Sql } from './sql.ts';

interface AuditRow {
  id: number;
  actor_id: string | null;
  actor: string;
  action: string;
  target: string | null;
  detail: string;
  created_at: number;
}

export interface NewAuditEntry {
  actorId: string | null;
  actor: string;
  action: string;
  target?: string | null;
  detail?: object;
}

function parseDetail(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return {};
  }
}

/** Append-only log of privileged actions. */
export function auditStore(sql: Sql) {
  return {
    async log(e: NewAuditEntry, now = Date.now()): Promise<void> {
      await sql.run('INSERT INTO audit_log (actor_id, actor, action, target, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
        e.actorId,
        e.actor,
        e.action,
        e.target ?? null,
        JSON.stringify(e.detail ?? {}),
        now,
      ]);
    },
    async list(limit: number, before = Number.MAX_SAFE_INTEGER): Promise<AuditEntry[]> {
      const rows = await sql.all<AuditRow>('SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?', [before, limit]);
      return rows.map((r) => ({
        id: r.id,
        actorId: r.actor_id,
        actor: r.actor,
        action: r.action,
        target: r.target,
        detail: parseDetail(r.detail),
        createdAt: r.created_at,
      }));
    },
  };
}
export type AuditStore = ReturnType<typeof auditStore>;

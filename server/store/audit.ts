import type { Asyncify } from './async.ts';
import type { AuditEntry } from '../../shared/admin-api.ts';
import type { Db } from './db.ts';

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
export function auditStore(db: Db) {
  const insert = db.prepare('INSERT INTO audit_log (actor_id, actor, action, target, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const list = db.prepare<[number, number], AuditRow>('SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?');
  return {
    log(e: NewAuditEntry, now = Date.now()): void {
      insert.run(e.actorId, e.actor, e.action, e.target ?? null, JSON.stringify(e.detail ?? {}), now);
    },
    list(limit: number, before = Number.MAX_SAFE_INTEGER): AuditEntry[] {
      return list.all(before, limit).map((r) => ({
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
export type AuditStore = Asyncify<ReturnType<typeof auditStore>>;

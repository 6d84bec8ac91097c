/**
 * The store's side of cross-instance cache invalidation (../cluster/invalidation.ts).
 *
 * A write drops this instance's copy at once and again after its commit (on PostgreSQL a read on
 * another connection may refill it with the old row while the transaction is open), then tells
 * the other instances; a write rolled back tells no one. A NOTIFY inside the transaction would be
 * delivered at the commit as well, but publishing after the commit works the same over Redis.
 */
import type { InvalidationBus, InvalidationKind } from '../cluster/invalidation.ts';
import type { Sql } from './sql.ts';

export interface CacheKind {
  /** drop this instance's copy only */
  drop(key: string): void;
  /** this instance wrote the entry `key` (inside or outside a transaction) */
  changed(key: string): void;
}

/**
 * `drop(key)` drops a cached entry (`null`: every entry of the kind); it is called for this
 * instance's writes and for those another instance announces on `bus`.
 */
export function cacheKind(sql: Sql, bus: InvalidationBus | null, kind: InvalidationKind, drop: (key: string | null) => void): CacheKind {
  bus?.subscribe(kind, drop);
  return {
    drop,
    changed(key) {
      drop(key);
      sql.afterCommit(() => {
        drop(key);
        bus?.publish(kind, key).catch((err: unknown) => {
          console.error(`[store] could not publish the invalidation of ${kind} ${JSON.stringify(key)}`, err);
        });
      });
    },
  };
}

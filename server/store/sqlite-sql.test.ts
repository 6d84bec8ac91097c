import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isStorageFault } from './faults.ts';
import { sqliteSql } from './sqlite-sql.ts';

function runner() {
  const db = new Database(':memory:');
  const sql = sqliteSql(db);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
  const values = async (): Promise<string[]> => (await sql.all<{ v: string }>('SELECT v FROM t ORDER BY id')).map((r) => r.v);
  return { db, sql, values };
}

describe('SQLite Sql runner', () => {
  it('runs statements with positional parameters and reports changes', async () => {
    const { sql, values } = runner();
    expect(await sql.run('INSERT INTO t (v) VALUES (?), (?)', ['a', 'b'])).toEqual({ changes: 2, lastId: 2 });
    expect(await sql.get<{ id: number }>('INSERT INTO t (v) VALUES (?) RETURNING id', ['c'])).toEqual({ id: 3 });
    expect(await sql.get('SELECT v FROM t WHERE v = ?', ['nope'])).toBeUndefined();
    expect((await sql.run('UPDATE t SET v = v || ? WHERE id > ?', ['!', 1])).changes).toBe(2);
    expect(await values()).toEqual(['a', 'b!', 'c!']);
  });

  it('builds rows as objects named by their columns, also after the table grew a column', async () => {
    const { db, sql } = runner();
    await sql.run('INSERT INTO t (v) VALUES (?), (?)', ['a', 'b']);
    expect(await sql.all('SELECT * FROM t ORDER BY id')).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
    // the same name twice: the later column wins, as better-sqlite3's own rows have it
    expect(await sql.get('SELECT id, v, v AS id FROM t WHERE id = 2')).toEqual({ id: 'b', v: 'b' });
    db.exec("ALTER TABLE t ADD COLUMN w TEXT NOT NULL DEFAULT 'x'");
    expect(await sql.all('SELECT * FROM t ORDER BY id')).toEqual([{ id: 1, v: 'a', w: 'x' }, { id: 2, v: 'b', w: 'x' }]);
    expect(await sql.get('SELECT * FROM t WHERE id = ?', [1])).toEqual({ id: 1, v: 'a', w: 'x' });
    await expect(sql.get('DELETE FROM t WHERE id = ?', [1])).rejects.toThrow(TypeError);
  });

  it('commits a transaction with nested ones as savepoints, and rolls back only a failed savepoint', async () => {
    const { sql, values } = runner();
    await sql.tx(async () => {
      await sql.run('INSERT INTO t (v) VALUES (?)', ['outer']);
      expect(sql.inTx()).toBe(true);
      await sql.tx(async () => {
        await sql.run('INSERT INTO t (v) VALUES (?)', ['kept']);
      });
      await expect(
        sql.tx(async () => {
          await sql.run('INSERT INTO t (v) VALUES (?)', ['undone']);
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
      await sql.run('INSERT INTO t (v) VALUES (?)', ['after']);
    });
    expect(sql.inTx()).toBe(false);
    expect(await values()).toEqual(['outer', 'kept', 'after']);
  });

  it('rolls the whole transaction back when it throws', async () => {
    const { sql, values } = runner();
    await expect(
      sql.tx(async () => {
        await sql.run('INSERT INTO t (v) VALUES (?)', ['gone']);
        await sql.tx(() => sql.run('INSERT INTO t (v) VALUES (?)', ['gone too']));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await values()).toEqual([]);
  });

  it('a call from outside an open transaction waits until it has committed', async () => {
    const { sql, values } = runner();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const seen: string[] = [];
    const tx = sql.tx(async () => {
      await sql.run('INSERT INTO t (v) VALUES (?)', ['in tx']);
      seen.push('tx wrote');
      await gate;
      await sql.run('INSERT INTO t (v) VALUES (?)', ['in tx 2']);
      seen.push('tx done');
    });
    await Promise.resolve();
    const outside = (async () => {
      const rows = await values();
      seen.push(`outside read ${rows.length}`);
    })();
    // the outside read is parked until the transaction ends
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(['tx wrote']);
    release();
    await Promise.all([tx, outside]);
    expect(seen).toEqual(['tx wrote', 'tx done', 'outside read 2']);
  });

  it('runs a beforeCommit hook once per key inside the transaction, and afterCommit hooks only after a commit', async () => {
    const { sql, values } = runner();
    const events: string[] = [];
    const pending: string[] = [];
    const flush = async () => {
      events.push('flush');
      for (const v of pending.splice(0)) await sql.run('INSERT INTO t (v) VALUES (?)', [v]);
    };
    await sql.tx(async () => {
      for (const v of ['x', 'y']) {
        await sql.tx(async () => {
          pending.push(v);
          sql.beforeCommit('flush', flush);
          sql.afterCommit(() => events.push(`after ${v}`));
        });
      }
      expect(events).toEqual([]);
    });
    expect(events).toEqual(['flush', 'after x', 'after y']);
    expect(await values()).toEqual(['x', 'y']);

    events.length = 0;
    await expect(
      sql.tx(async () => {
        sql.beforeCommit('flush', flush);
        sql.afterCommit(() => events.push('after rolled back'));
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(events).toEqual([]);

    // an afterCommit registered in a savepoint that rolled back is dropped with it
    await sql.tx(async () => {
      await sql.tx(async () => sql.afterCommit(() => events.push('kept')));
      await sql
        .tx(async () => {
          sql.afterCommit(() => events.push('dropped'));
          throw new Error('inner');
        })
        .catch(() => undefined);
    });
    expect(events).toEqual(['kept']);

    // outside a transaction both run at once
    sql.afterCommit(() => events.push('now'));
    sql.beforeCommit('k', () => void events.push('before now'));
    expect(events).toEqual(['kept', 'now', 'before now']);
  });

  it('a failing beforeCommit hook rolls the transaction back', async () => {
    const { sql, values } = runner();
    await expect(
      sql.tx(async () => {
        await sql.run('INSERT INTO t (v) VALUES (?)', ['a']);
        sql.beforeCommit('dup', () => sql.run('INSERT INTO t (v) VALUES (?)', ['a']).then(() => undefined));
      }),
    ).rejects.toThrow(/UNIQUE/);
    expect(await values()).toEqual([]);
  });

  it('reuses one prepared statement per SQL text', async () => {
    const { db, sql } = runner();
    let prepares = 0;
    const prepare = db.prepare.bind(db);
    db.prepare = ((text: string) => {
      prepares++;
      return prepare(text);
    }) as typeof db.prepare;
    for (let i = 0; i < 5; i++) await sql.run('INSERT INTO t (v) VALUES (?)', [`v${i}`]);
    for (let i = 0; i < 5; i++) await sql.get('SELECT v FROM t WHERE id = ?', [i]);
    expect(prepares).toBe(2);
  });

  it('a transaction SQLite rolled back by itself fails as a storage fault instead of committing', async () => {
    const { db, sql, values } = runner();
    const err = await sql
      .tx(async () => {
        await sql.run('INSERT INTO t (v) VALUES (?)', ['lost']);
        // what SQLite does after a disk-full or I/O error inside the transaction
        db.exec('ROLLBACK');
        await sql.run('INSERT INTO t (v) VALUES (?)', ['not in autocommit either']);
      })
      .catch((e: unknown) => e);
    expect(isStorageFault(err)).toBe(true);
    expect((err as { code: string }).code).toBe('SQLITE_ABORT_ROLLBACK');
    expect(await values()).toEqual([]);
  });

  it('keeps SQLite error codes on failed statements', async () => {
    const { sql } = runner();
    await sql.run('INSERT INTO t (v) VALUES (?)', ['a']);
    const err = await sql.run('INSERT INTO t (v) VALUES (?)', ['a']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Database.SqliteError);
    expect((err as { code: string }).code).toBe('SQLITE_CONSTRAINT_UNIQUE');
  });
});

describe('SQLite Sql runner, nested transactions started side by side', () => {
  it('runs them one after another, each rolled back or kept on its own', async () => {
    const { sql, values } = runner();
    await sql.tx(async () => {
      const results = await Promise.allSettled([
        sql.tx(async () => {
          await sql.run('INSERT INTO t (v) VALUES (?)', ['a1']);
          await new Promise((r) => setImmediate(r));
          await sql.run('INSERT INTO t (v) VALUES (?)', ['a2']);
        }),
        sql.tx(async () => {
          await sql.run('INSERT INTO t (v) VALUES (?)', ['b1']);
          throw new Error('b fails');
        }),
        sql.tx(async () => {
          await sql.tx(() => sql.run('INSERT INTO t (v) VALUES (?)', ['c1']));
          await sql.run('INSERT INTO t (v) VALUES (?)', ['c2']);
        }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    });
    expect(await values()).toEqual(['a1', 'a2', 'c1', 'c2']);
  });
});

describe('SQLite Sql runner per connection', () => {
  it('is one runner per connection, so a second store over it still waits for the open transaction', async () => {
    const { db, sql, values } = runner();
    const again = sqliteSql(db);
    expect(again).toBe(sql);
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const tx = sql.tx(async () => {
      await sql.run('INSERT INTO t (v) VALUES (?)', ['first']);
      await hold;
      throw new Error('undo');
    });
    const outside = again.run('INSERT INTO t (v) VALUES (?)', ['second']);
    await new Promise((r) => setImmediate(r));
    release();
    await expect(tx).rejects.toThrow('undo');
    await outside;
    expect(await values()).toEqual(['second']);
  });
});

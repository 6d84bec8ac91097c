import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { testDatabase } from '../../testing/pg-test.ts';
import { openDb } from '../db.ts';
import { migratePg } from './migrate.ts';
import { openPgSql, type PgSql } from './pg-sql.ts';

const pools: pg.Pool[] = [];
function pool(url: string): pg.Pool {
  const p = new pg.Pool({ connectionString: url, max: 2 });
  pools.push(p);
  return p;
}
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
});

describe('migratePg', () => {
  it('applies the schema once when two instances start together on a fresh database', async () => {
    const url = await testDatabase('migrate_race');
    const [a, b] = await Promise.all([migratePg(pool(url)), migratePg(pool(url))]);
    // one of them did the work, the other waited for the lock and found nothing left
    expect([...a, ...b].sort()).toEqual(['001-schema.sql']);
    const rows = (await pool(url).query<{ name: string }>('SELECT name FROM schema_migrations')).rows;
    expect(rows.map((r) => r.name)).toEqual(['001-schema.sql']);
    expect(await migratePg(pool(url))).toEqual([]);
  });

  it('applies pending files in order, each in its own transaction; a failing one leaves no trace and stops the run', async () => {
    const url = await testDatabase('migrate_files');
    const dir = mkdtempSync(join(tmpdir(), 'parley-pg-migrations-'));
    try {
      writeFileSync(join(dir, '001-a.sql'), 'CREATE TABLE a (x int); INSERT INTO a VALUES (1);');
      writeFileSync(join(dir, '002-b.sql'), 'CREATE TABLE b (x int); INSERT INTO b VALUES (1/0);');
      writeFileSync(join(dir, '003-c.sql'), 'CREATE TABLE c (x int);');
      writeFileSync(join(dir, 'notes.txt'), 'not a migration');
      await expect(migratePg(pool(url), { dir })).rejects.toThrow(/002-b\.sql.*division by zero/);
      const p = pool(url);
      const tables = async () =>
        (await p.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map((r) => r.t);
      expect(await tables()).toEqual(['a', 'schema_migrations']);

      writeFileSync(join(dir, '002-b.sql'), 'CREATE TABLE b (x int);');
      expect(await migratePg(p, { dir })).toEqual(['002-b.sql', '003-c.sql']);
      expect(await tables()).toEqual(['a', 'b', 'c', 'schema_migrations']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** the SQLite schema after every SQLite migration: tables -> columns, and index names */
function sqliteSchema() {
  const db = openDb(':memory:');
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'messages_fts%' AND name <> 'schema_migrations' ORDER BY name")
      .pluck()
      .all() as string[];
    const columns = new Map<string, { name: string; notnull: boolean; dflt: string | null }[]>();
    for (const t of tables) {
      const info = db.pragma(`table_info(${t})`) as { name: string; notnull: number; dflt_value: string | null; pk: number }[];
      columns.set(
        t,
        info.map((c) => ({ name: c.name, notnull: c.notnull === 1 || c.pk > 0, dflt: c.dflt_value })),
      );
    }
    const indexes = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%' ORDER BY name")
      .pluck()
      .all() as string[];
    return { tables, columns, indexes };
  } finally {
    db.close();
  }
}

describe('the PostgreSQL schema', () => {
  let url: string;
  let sql: PgSql;
  beforeAll(async () => {
    url = await testDatabase('schema', { migrated: true });
    sql = openPgSql(url, { max: 2 });
  });
  afterAll(async () => {
    await sql?.close();
  });

  it('has the tables, columns, NOT NULLs, defaults and indexes of the SQLite schema', async () => {
    const lite = sqliteSchema();
    const tables = (
      await sql.all<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('schema_migrations', 'socket_io_attachments') ORDER BY 1")
    ).map((r) => r.t);
    expect(tables).toEqual(lite.tables);

    const cols = await sql.all<{ t: string; name: string; nullable: string; dflt: string | null }>(
      "SELECT table_name AS t, column_name AS name, is_nullable AS nullable, column_default AS dflt FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
    );
    const norm = (d: string | null) => (d === null ? null : d.replace(/::[a-z ]+/g, '').replace(/^\((.*)\)$/, '$1'));
    for (const t of lite.tables) {
      const pgCols = cols.filter((c) => c.t === t).map((c) => ({ name: c.name, notnull: c.nullable === 'NO', dflt: norm(c.dflt) }));
      expect({ table: t, columns: pgCols }).toEqual({ table: t, columns: lite.columns.get(t) });
    }

    const indexes = (
      await sql.all<{ name: string }>(
        "SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key' AND indexname <> 'messages_text_search' ORDER BY 1",
      )
    ).map((r) => r.name);
    expect(indexes).toEqual(lite.indexes);
  });

  async function conversation(id: string): Promise<void> {
    await sql.run("INSERT INTO sites (id, key, name, identity_secret, created_at) VALUES ('s1', 'k1', 'Site', 'x', 1) ON CONFLICT DO NOTHING");
    await sql.run("INSERT INTO conversations (id, site_id, started_at, last_activity_at) VALUES (?, 's1', 1, 1)", [id]);
  }

  it('keeps the daily insight rollups with the facts, as the SQLite triggers do', async () => {
    await conversation('c-roll-1');
    await conversation('c-roll-2');
    const fact = (id: string, nps: number | null, label: string | null) =>
      sql.run(
        "INSERT INTO insight_facts (site_id, day, conversation_id, flow_id, source, started_at, tz, nps, csat, sentiment_label, follow_up) VALUES ('s1', '2026-01-01', ?, '', 'widget', 1, 'UTC', ?, 4.5, ?, 1)",
        [id, nps, label],
      );
    await fact('c-roll-1', 10, 'positive');
    await fact('c-roll-2', 3, null);
    const day = () => sql.get<Record<string, number>>("SELECT n, nps_n, promoters, detractors, csat_n, csat_sum, csat_sat, positive, negative, follow_up FROM insight_daily WHERE site_id = 's1'");
    expect(await day()).toEqual({ n: 2, nps_n: 2, promoters: 1, detractors: 1, csat_n: 2, csat_sum: 9, csat_sat: 2, positive: 1, negative: 0, follow_up: 2 });
    // forgetting a conversation cascades to its fact, and the rollup follows
    await sql.run("DELETE FROM conversations WHERE id = 'c-roll-1'");
    expect(await day()).toEqual({ n: 1, nps_n: 1, promoters: 0, detractors: 1, csat_n: 1, csat_sum: 4.5, csat_sat: 1, positive: 0, negative: 0, follow_up: 1 });
    await sql.run("DELETE FROM insight_facts WHERE conversation_id = 'c-roll-2'");
    expect(await day()).toBeUndefined();
  });

  it('records when a follow-up is done on the conversation and its fact, and clears it when reopened', async () => {
    await conversation('c-follow');
    await sql.run(
      "INSERT INTO insight_facts (site_id, day, conversation_id, flow_id, source, started_at, tz, follow_up) VALUES ('s1', '2026-01-02', 'c-follow', '', 'widget', 1, 'UTC', 1)",
    );
    const before = Date.now();
    await sql.run("UPDATE conversations SET follow_up_status = 'done' WHERE id = 'c-follow'");
    const fact = () => sql.get<{ follow_up_status: string; resolved_at: number | null }>("SELECT follow_up_status, resolved_at FROM insight_facts WHERE conversation_id = 'c-follow'");
    const done = await fact();
    expect(done?.follow_up_status).toBe('done');
    expect(done?.resolved_at).toBeGreaterThanOrEqual(before - 1_000);
    await sql.run("UPDATE conversations SET follow_up_status = 'open' WHERE id = 'c-follow'");
    expect(await fact()).toEqual({ follow_up_status: 'open', resolved_at: null });
    expect(await sql.get("SELECT 1 FROM insight_resolutions WHERE conversation_id = 'c-follow'")).toBeUndefined();
  });

  it('forgets the webhook deliveries of a deleted conversation', async () => {
    await conversation('c-hook');
    await sql.run("INSERT INTO webhook_endpoints (id, site_id, name, url, secret, created_at, updated_at) VALUES ('e1', 's1', 'n', 'http://x', 's', 1, 1)");
    await sql.run("INSERT INTO webhook_deliveries (endpoint_id, chain, event, event_key, body, created_at) VALUES ('e1', 'c-hook', 'ev', 'k1', '{}', 1), ('e1', 'test:1', 'ev', 'k2', '{}', 1)");
    await sql.run("DELETE FROM conversations WHERE id = 'c-hook'");
    expect(await sql.all('SELECT chain FROM webhook_deliveries')).toEqual([{ chain: 'test:1' }]);
  });

  it('compares user e-mails and team names without regard to case, like COLLATE NOCASE', async () => {
    await sql.run("INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES ('u1', 'Ann@Example.com', 'Ann', 'owner', 'h', 1)");
    expect(await sql.get<{ id: string }>('SELECT id FROM users WHERE email = ?', ['ann@example.COM'])).toEqual({ id: 'u1' });
    await expect(sql.run("INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES ('u2', 'ANN@example.com', 'A', 'agent', 'h', 1)")).rejects.toThrow(/duplicate key/);
    await sql.run("INSERT INTO teams (id, name, created_at) VALUES ('t1', 'Support', 1)");
    await expect(sql.run("INSERT INTO teams (id, name, created_at) VALUES ('t2', 'SUPPORT', 1)")).rejects.toThrow(/duplicate key/);
  });

  it('finds messages by words and word prefixes, any case and any accents, through the full-text index', async () => {
    await conversation('c-search');
    const texts = ['The Checkout page crashed', 'Shipping was slow', 'checkout-flow works now', 'Ça marche très bien'];
    for (const [i, text] of texts.entries()) {
      await sql.run("INSERT INTO messages (conversation_id, seq, author, text, created_at) VALUES ('c-search', ?, 'visitor', ?, 1)", [i + 1, text]);
    }
    const search = async (q: string) =>
      (
        await sql.all<{ seq: number }>("SELECT seq FROM messages WHERE to_tsvector('parley_search', text) @@ to_tsquery('parley_search', ?) ORDER BY seq", [q])
      ).map((r) => r.seq);
    expect(await search('checkout:*')).toEqual([1, 3]);
    expect(await search('CRASH:* & page:*')).toEqual([1]);
    expect(await search('ship:*')).toEqual([2]);
    // diacritics folded on both sides, like FTS5's unicode61
    expect(await search('très:*')).toEqual([4]);
    expect(await search('tres:*')).toEqual([4]);
    expect(await search('ca & marche')).toEqual([4]);
    // no stemming, no stop words: 'the' is a word like any other
    expect(await search('crashes')).toEqual([]);
    expect(await search('the')).toEqual([1]);
    expect(await search('flow:*')).toEqual([3]);
    // the planner can use the GIN index for that expression
    const plan = await sql.tx(async () => {
      await sql.exec('SET LOCAL enable_seqscan = off');
      return sql.all<{ 'QUERY PLAN': string }>("EXPLAIN SELECT seq FROM messages WHERE to_tsvector('parley_search', text) @@ to_tsquery('parley_search', ?)", ['checkout:*']);
    });
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toContain('messages_text_search');
  });

  it('assigns message ids itself and accepts given ones', async () => {
    await conversation('c-ids');
    const a = await sql.get<{ id: number }>("INSERT INTO messages (conversation_id, seq, author, text, created_at) VALUES ('c-ids', 1, 'bot', 'hi', 1) RETURNING id");
    expect(typeof a?.id).toBe('number');
    await sql.run("INSERT INTO jobs (id, kind, run_at, created_at, updated_at) VALUES (9007199254740991, 'x', 1, 1, 1)");
    expect(await sql.get('SELECT id FROM jobs')).toEqual({ id: 9007199254740991 });
  });

  it('has the table @socket.io/postgres-adapter keeps its attachments in', async () => {
    const row = await sql.get<{ id: number }>("INSERT INTO socket_io_attachments (payload) VALUES ('\\x00'::bytea) RETURNING id");
    expect(row?.id).toBeGreaterThan(0);
  });
});

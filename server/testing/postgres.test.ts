import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { findPgBin, startPostgres, type PgServer } from './postgres.ts';
import { testDatabase, testPgServerUrl, testPgSql } from './pg-test.ts';

async function one<R extends pg.QueryResultRow>(url: string, text: string): Promise<R> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<R>(text);
    return r.rows[0]!;
  } finally {
    await client.end();
  }
}

describe('the test PostgreSQL harness', () => {
  const started: PgServer[] = [];
  afterAll(async () => {
    for (const s of started) await s.stop();
  });

  it('starts a PostgreSQL 15+ server on a free port of 127.0.0.1, and stop() removes it', async () => {
    const server = await startPostgres();
    started.push(server);
    expect(server.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    const row = await one<{ v: number }>(server.url, 'SELECT current_setting(\'server_version_num\')::int AS v');
    expect(row.v).toBeGreaterThanOrEqual(150000);
    expect(existsSync(server.dir)).toBe(true);

    await server.stop();
    expect(existsSync(server.dir)).toBe(false);
    const client = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 2_000 });
    await expect(client.connect()).rejects.toThrow();
    await client.end().catch(() => undefined);
  });

  it('prepares a seeded cluster once and starts later servers from a copy of it', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'parley-pg-seed-test-'));
    let prepared = 0;
    const seed = {
      key: 'harness-test',
      cacheDir,
      prepare: async (url: string) => {
        prepared++;
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query('CREATE DATABASE seeded');
        await client.end();
      },
    };
    try {
      for (let i = 0; i < 2; i++) {
        const server = await startPostgres({ seed });
        started.push(server);
        const url = new URL(server.url);
        url.pathname = '/seeded';
        expect(await one<{ db: string }>(url.toString(), 'SELECT current_database() AS db')).toEqual({ db: 'seeded' });
        // a copy: what one server writes, the next does not see
        await one(url.toString(), `CREATE TABLE written_by_${i} (x int)`);
        expect(await one<{ n: string }>(url.toString(), "SELECT count(*) AS n FROM pg_tables WHERE tablename LIKE 'written_by_%'")).toEqual({ n: '1' });
        await server.stop();
      }
      expect(prepared).toBe(1);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('says what is missing and how to install it when the binaries are not there', () => {
    const saved = process.env.PARLEY_PG_BIN;
    process.env.PARLEY_PG_BIN = '/nonexistent/postgresql/bin';
    try {
      expect(() => findPgBin()).toThrow(/no initdb.*apt-get install -y postgresql/);
    } finally {
      if (saved === undefined) delete process.env.PARLEY_PG_BIN;
      else process.env.PARLEY_PG_BIN = saved;
    }
  });

  it('says why when the server does not start, and leaves nothing behind', async () => {
    const err = await startPostgres({ settings: { shared_buffers: 'plenty' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toMatch(/PostgreSQL server did not start on port \d+/);
    expect(message).toMatch(/server log:[\s\S]*shared_buffers/);
    const dir = /\(folder (\S+)\)/.exec(message)?.[1];
    expect(dir).toBeDefined();
    expect(existsSync(dir!)).toBe(false);
  });

  it('gives each test file a database of its own on the run server, empty or migrated', async () => {
    const a = await testDatabase('harness a');
    const b = await testDatabase('harness a');
    expect(a).not.toBe(b);
    expect(new URL(a).port).toBe(new URL(testPgServerUrl()).port);
    const pool = new pg.Pool({ connectionString: a, max: 1 });
    await pool.query('CREATE TABLE only_in_a (x int)');
    await pool.end();
    const inB = await one<{ n: string }>(b, "SELECT count(*) AS n FROM pg_tables WHERE tablename = 'only_in_a'");
    expect(inB.n).toBe('0');

    // test files start together: copies of the template made at the same time
    const copies = await Promise.all(Array.from({ length: 6 }, () => testDatabase('harness copy', { migrated: true })));
    expect(new Set(copies).size).toBe(6);
    const migrated = copies[0]!;
    const tables = await one<{ n: string }>(migrated, "SELECT count(*) AS n FROM pg_tables WHERE tablename IN ('messages', 'schema_migrations')");
    expect(tables.n).toBe('2');

    const sql = await testPgSql('harness sql');
    try {
      expect(await sql.get('SELECT count(*) AS n FROM schema_migrations')).toEqual({ n: 1 });
    } finally {
      await sql.close();
    }
  });
});

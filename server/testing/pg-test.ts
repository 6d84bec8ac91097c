/**
 * For test files: a database of their own on the run's PostgreSQL server (started by
 * ./global-setup.ts). Fails loudly, with the reason, when the server could not start.
 */
import pg from 'pg';
import { inject } from 'vitest';
import { migratePg } from '../store/pg/migrate.ts';
import { openPgSql, type OpenPgSqlOptions, type PgSql } from '../store/pg/pg-sql.ts';
import { createDatabase } from './postgres.ts';
import type {} from './global-setup.ts';

export interface TestDatabaseOptions {
  /** start from the migrated PostgreSQL schema (a copy of the run's template) instead of empty */
  migrated?: boolean;
  /**
   * the database's default collation: 'C' (the run's template, byte order) or 'en-US' (ICU, as a
   * database created with an English locale sorts: case and punctuation matter last); default 'C'
   */
  collation?: 'C' | 'en-US';
}

/** per test process: a migrated template whose default collation is ICU en-US */
let enUsTemplate: Promise<string> | null = null;

function enUsTemplateDb(): Promise<string> {
  enUsTemplate ??= (async () => {
    const server = testPgServerUrl();
    const name = `parley_tpl_enus_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US'`);
    } finally {
      await admin.end();
    }
    const url = new URL(server);
    url.pathname = `/${name}`;
    const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
    try {
      await migratePg(pool);
    } finally {
      await pool.end();
    }
    return name;
  })();
  return enUsTemplate;
}

/** the run's server URL (superuser), or an Error saying why there is none */
export function testPgServerUrl(): string {
  const pg = inject('parleyPg');
  if (!pg || (!pg.url && !pg.error)) {
    throw new Error('No PostgreSQL server for this test run: server/testing/global-setup.ts must be a globalSetup of this vitest project.');
  }
  if (!pg.url) throw new Error(`PostgreSQL test server unavailable: ${pg.error}`);
  return pg.url;
}

/** a new database for this test file; returns its URL */
export async function testDatabase(name: string, options: TestDatabaseOptions = {}): Promise<string> {
  const url = testPgServerUrl();
  if (options.collation === 'en-US') {
    if (!options.migrated) throw new Error('testDatabase: an en-US database is always migrated (pass migrated: true)');
    return createDatabase(url, name, { template: await enUsTemplateDb() });
  }
  return createDatabase(url, name, options.migrated ? { template: inject('parleyPg').template } : {});
}

/** a `Sql` runner over a new database of this test file holding the migrated schema; close it after */
export async function testPgSql(name: string, options: OpenPgSqlOptions = {}): Promise<PgSql> {
  return openPgSql(await testDatabase(name, { migrated: true }), { max: 4, ...options });
}

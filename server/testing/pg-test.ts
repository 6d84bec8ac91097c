/**
 * For test files: a database of their own on the run's PostgreSQL server (started by
 * ./global-setup.ts). Fails loudly, with the reason, when the server could not start.
 */
import { inject } from 'vitest';
import { openPgSql, type OpenPgSqlOptions, type PgSql } from '../store/pg/pg-sql.ts';
import { createDatabase } from './postgres.ts';
import type {} from './global-setup.ts';

export interface TestDatabaseOptions {
  /** start from the migrated PostgreSQL schema (a copy of the run's template) instead of empty */
  migrated?: boolean;
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
  return createDatabase(url, name, options.migrated ? { template: inject('parleyPg').template } : {});
}

/** a `Sql` runner over a new database of this test file holding the migrated schema; close it after */
export async function testPgSql(name: string, options: OpenPgSqlOptions = {}): Promise<PgSql> {
  return openPgSql(await testDatabase(name, { migrated: true }), { max: 4, ...options });
}

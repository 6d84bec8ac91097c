/**
 * vitest globalSetup (node project): one PostgreSQL server for the whole run, with a migrated
 * template database that test files clone (`testDatabase` in ./pg-test.ts). The migrated
 * cluster is kept in the temp dir between runs (see `seed` in ./postgres.ts): a run copies it
 * instead of running initdb and the migrations again, until a migration changes. Test files get the
 * server through `inject('parleyPg')`; each creates its own database, so files stay isolated.
 *
 * When the server cannot start, the run goes on and every test that asks for a database fails
 * with the reason (binaries missing: how to install them); tests that need none are unaffected.
 */
import type { TestProject } from 'vitest/node';
import { migratedTemplateSeed } from './migrated-template.ts';
import { startPostgres, type PgServer } from './postgres.ts';

export const TEMPLATE_DB = 'parley_template';

export interface ProvidedPg {
  /** superuser URL of the server ('' when it did not start) */
  url: string;
  /** why it did not start ('' when it did) */
  error: string;
  /** a database holding the migrated PostgreSQL schema, to clone */
  template: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    parleyPg: ProvidedPg;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let server: PgServer | null = null;
  try {
    server = await startPostgres({ seed: migratedTemplateSeed(TEMPLATE_DB) });
    project.provide('parleyPg', { url: server.url, error: '', template: TEMPLATE_DB });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    project.provide('parleyPg', { url: '', error: message, template: '' });
  }
  return async () => {
    await server?.stop();
  };
}

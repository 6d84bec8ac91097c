/**
 * A PostgreSQL server prepared once per set of migrations: `startPostgres({ seed })` keeps the
 * cluster it prepared and copies it on later starts, keyed by what went into it. This seed creates
 * `templateDb` and migrates it, so tests and benchmarks clone a migrated database in milliseconds.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { migratePg, PG_MIGRATIONS_DIR } from '../store/pg/migrate.ts';

export interface MigratedSeed {
  /** the migrations' names and text (and the template's name): a change makes a new seed */
  key: string;
  prepare(serverUrl: string): Promise<void>;
}

export function migratedTemplateSeed(templateDb: string): MigratedSeed {
  const hash = createHash('sha256').update(`${templateDb}\n`);
  for (const file of readdirSync(PG_MIGRATIONS_DIR).sort()) hash.update(`${file}\n`).update(readFileSync(join(PG_MIGRATIONS_DIR, file)));
  return {
    key: hash.digest('hex'),
    async prepare(serverUrl: string): Promise<void> {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${templateDb}`);
      } finally {
        await admin.end();
      }
      const url = new URL(serverUrl);
      url.pathname = `/${templateDb}`;
      const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
      try {
        await migratePg(pool);
      } finally {
        await pool.end();
      }
    },
  };
}

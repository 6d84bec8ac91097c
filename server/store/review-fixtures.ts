/**
 * Test fixtures for the admin side: rows that other parts normally write (extractions, dead
 * jobs) so review filters can be tested before and apart from those parts.
 */
import type { z } from 'zod';
import { Extraction } from '../../shared/extraction.ts';
import type { Db } from './db.ts';

export function insertExtraction(db: Db, input: z.input<typeof Extraction>): void {
  const x = Extraction.parse(input);
  db.prepare(
    `INSERT OR REPLACE INTO extractions (conversation_id, extractor, extractor_version, data, sentiment_label, sentiment_score, nps_category, follow_up_needed, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(x.conversationId, x.extractor, x.extractorVersion, JSON.stringify(x), x.sentiment.label, x.sentiment.score, x.npsCategory, x.followUp.needed ? 1 : 0, x.createdAt);
}

export function insertJob(db: Db, job: { kind: string; status: 'pending' | 'dead'; lastError?: string; payload?: object }): void {
  const now = Date.now();
  db.prepare('INSERT INTO jobs (kind, payload, status, attempts, run_at, last_error, created_at, updated_at) VALUES (?, ?, ?, 5, ?, ?, ?, ?)').run(
    job.kind,
    JSON.stringify(job.payload ?? {}),
    job.status,
    now,
    job.lastError ?? null,
    now,
    now,
  );
}

export function countRows(db: Db, table: 'conversations' | 'messages' | 'answers' | 'extractions' | 'notes' | 'conversation_tags' | 'visitors' | 'jobs' | 'messages_fts'): number {
  return db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get() ?? 0;
}

/** what is stored in the users table's password column, for the never-in-clear test */
export function storedPasswordColumn(db: Db, email: string): string | null {
  return db.prepare<[string], string>('SELECT password_hash FROM users WHERE email = ?').pluck().get(email) ?? null;
}

export function ftsHits(db: Db, word: string): number {
  return db.prepare<[string], number>('SELECT count(*) FROM messages_fts WHERE messages_fts MATCH ?').pluck().get(`"${word}"`) ?? 0;
}

/** SQLite's plan for a statement, one detail line per step */
export function queryPlan(db: Db, sql: string, params: unknown[]): string[] {
  return db
    .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
    .all(...params)
    .map((r) => r.detail);
}

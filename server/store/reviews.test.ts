import { describe, expect, it } from 'vitest';
import { openDb } from './db.ts';
import { queryPlan } from './review-fixtures.ts';
import { ftsQuery, listQuery } from './reviews.ts';

describe('transcript list queries', () => {
  it('turn a search box into a safe FTS5 prefix query', () => {
    expect(ftsQuery('late delivery')).toBe('"late"* "delivery"*');
    expect(ftsQuery('"NEAR( OR *')).toBe('"NEAR"* "OR"*');
    expect(ftsQuery('---')).toBeNull();
  });

  it('page newest first through an index, without sorting the whole table', () => {
    const db = openDb(':memory:');
    const plain = listQuery({}, { startedAt: 1, id: 'x' });
    const plan = queryPlan(db, plain.sql, [...plain.params, 50]).join('\n');
    expect(plan).toMatch(/conversations_started/);
    expect(plan).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);
    const bySite = listQuery({ siteId: 's' }, null);
    expect(queryPlan(db, bySite.sql, [...bySite.params, 50]).join('\n')).toMatch(/conversations_site_started/);
  });
});

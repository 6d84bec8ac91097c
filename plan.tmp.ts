import { openDb } from './server/store/db.ts';
const db = openDb(':memory:');
const plan = (sql: string, ...p: unknown[]) => console.log(db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...p).map((r: any) => r.detail).join(' | '));
plan(`SELECT t.conversation_id, f.quote FROM insight_terms t JOIN insight_facts f ON f.conversation_id = t.conversation_id WHERE t.site_id = ? AND t.day BETWEEN ? AND ? AND t.kind = ? AND t.name = ? ORDER BY t.day DESC, t.conversation_id DESC LIMIT 3`, 'x', 'a', 'b', 'topic', 'n');

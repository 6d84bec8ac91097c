/**
 * The floor under a visitor message's server CPU on SQLite: the statements the store runs for one
 * message with a silent bot, on raw better-sqlite3 with Parley's schema and nothing else (no
 * socket, no validation, no promises), group-committed as the server does them. Added to the
 * bare echo's CPU it is what a message could cost if every line of Parley's own code were free.
 *
 * Per message: the append's read (last seq, owner, resend), the INSERT, the seq bump and the bot
 * turn's read (status, mode, state); per batch: BEGIN, the full-text index of the batch, COMMIT.
 * Active conversations each have a history, and older conversations fill the tables around them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../server/store/db.ts';
import { uuidv7 } from '../server/store/ids.ts';

export interface FloorOptions {
  /** conversations sending at once (one message each in flight, as the closed loop's clients) */
  active: number;
  /** messages per commit: what group commit gathers with `active` clients in flight */
  batch: number;
  batches: number;
}

export const FLOOR_DEFAULTS: FloorOptions = { active: 50, batch: 34, batches: 600 };

const TEXT = 'How do I reset my password?';
const STATE = JSON.stringify({ kind: 'support', phase: 'chat', handedOff: false, misses: 0, turn: 7, lastOutcome: 'answered' });

/** CPU µs (user + system) per message of the raw statements */
export function sqliteMessageFloorUs(o: FloorOptions = FLOOR_DEFAULTS): number {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-floor-'));
  const db = openDb(join(dir, 'floor.db'));
  try {
    const now = Date.now();
    db.prepare("INSERT INTO sites (id, key, name, identity_secret, created_at) VALUES ('s', 'floor', 'Floor', 'x', ?)").run(now);
    db.prepare("INSERT INTO visitors (id, site_id, token_hash, created_at, last_seen_at) VALUES ('v', 's', 't', ?, ?)").run(now, now);
    const create = db.prepare("INSERT INTO conversations (id, site_id, visitor_id, flow_id, state, started_at, last_activity_at) VALUES (?, 's', 'v', 'support', ?, ?, ?)");
    const gate = db.prepare('SELECT status, mode, state, last_seq FROM conversations WHERE id = ?').raw(true);
    const read = db
      .prepare(
        `SELECT c.last_seq, c.mode, c.end_reason,
           EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.client_id = ?) AS dup
         FROM conversations c WHERE c.id = ? AND c.site_id = ? AND c.visitor_id = ? AND c.status = 'open'`,
      )
      .raw(true);
    const insert = db.prepare('INSERT INTO messages (conversation_id, seq, client_id, author, author_name, text, reply, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const bump = db.prepare('UPDATE conversations SET last_seq = ?, last_activity_at = ? WHERE id = ?');
    const index = db.prepare(
      `INSERT INTO messages_fts (rowid, text) SELECT id, text FROM messages
       WHERE id IN (SELECT value FROM json_each(?)) AND NOT EXISTS (SELECT 1 FROM messages_fts_docsize d WHERE d.id = messages.id)`,
    );
    const begin = db.prepare('BEGIN');
    const commit = db.prepare('COMMIT');
    let client = 0;
    const newConversation = (): string => {
      const id = uuidv7();
      create.run(id, STATE, Date.now(), Date.now());
      return id;
    };
    const writeBatch = (conversations: string[]): void => {
      begin.run();
      const added: number[] = [];
      for (const id of conversations) {
        const clientId = `floor-${client++}`;
        const [lastSeq] = read.get(clientId, id, 's', 'v') as [number];
        const at = Date.now();
        added.push(Number(insert.run(id, lastSeq + 1, clientId, 'visitor', null, TEXT, null, at).lastInsertRowid));
        bump.run(lastSeq + 1, at, id);
      }
      index.run(JSON.stringify(added));
      commit.run();
      // the bot turns that follow, each reading its conversation (outside the transaction)
      for (const id of conversations) gate.get(id);
    };
    // earlier traffic: 40 rounds of `active` conversations with 20 messages each
    for (let round = 0; round < 40; round++) {
      const group = Array.from({ length: o.active }, newConversation);
      for (let m = 0; m < 20; m++) writeBatch(group);
    }
    const active = Array.from({ length: o.active }, newConversation);
    for (let m = 0; m < 10; m++) writeBatch(active);
    db.pragma('wal_checkpoint(TRUNCATE)');
    // each batch: `batch` of the active conversations, a different mix every time
    let pick = 0;
    const before = process.cpuUsage();
    for (let b = 0; b < o.batches; b++) {
      const chosen: string[] = [];
      for (let k = 0; k < o.batch; k++) chosen.push(active[(pick++ * 7) % active.length]!);
      writeBatch([...new Set(chosen)]);
    }
    const used = process.cpuUsage(before);
    return (used.user + used.system) / (o.batches * o.batch);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// `npx tsx bench/message-floor.ts`: the floor alone
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`SQLite statements of one visitor message: ${sqliteMessageFloorUs().toFixed(1)} µs CPU`);
}

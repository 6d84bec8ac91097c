-- Messages reach the full-text index from the messages store, once per transaction, rather than
-- from a row trigger. FTS5 writes its pending terms out at every savepoint, and each message was
-- appended inside one (its own, and the group commit's per-item one): every message became its
-- own index segment, about half of what storing a message cost. The store now indexes the
-- messages a transaction appended in one statement just before it commits (server/store/messages.ts).
-- Anything that inserts into `messages` must go through that store.
DROP TRIGGER IF EXISTS messages_fts_insert;
-- a row is removed from the index only if it is in it (a message deleted in the same transaction
-- that appended it was never indexed; a 'delete' for it would corrupt the index)
DROP TRIGGER IF EXISTS messages_fts_delete;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
WHEN EXISTS (SELECT 1 FROM messages_fts_docsize WHERE id = old.id) BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

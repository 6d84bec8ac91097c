import type { Asyncify } from './async.ts';
import type { Note } from '../../shared/admin-api.ts';
import type { Db } from './db.ts';

interface NoteRow {
  id: number;
  conversation_id: string;
  author_id: string | null;
  author_name: string;
  text: string;
  created_at: number;
}

const toNote = (r: NoteRow): Note => ({
  id: r.id,
  conversationId: r.conversation_id,
  authorId: r.author_id,
  authorName: r.author_name,
  text: r.text,
  createdAt: r.created_at,
});

/** Internal notes on a conversation (never shown to the visitor) and its tags. */
export function notesStore(db: Db) {
  const insert = db.prepare<[string, string, string, string, number], NoteRow>(
    'INSERT INTO notes (conversation_id, author_id, author_name, text, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *',
  );
  const list = db.prepare<[string], NoteRow>('SELECT * FROM notes WHERE conversation_id = ? ORDER BY id');
  const tags = db.prepare<[string], string>('SELECT tag FROM conversation_tags WHERE conversation_id = ? ORDER BY tag').pluck();
  const clearTags = db.prepare('DELETE FROM conversation_tags WHERE conversation_id = ?');
  const addTag = db.prepare('INSERT OR IGNORE INTO conversation_tags (conversation_id, tag) VALUES (?, ?)');
  const replaceTags = db.transaction((conversationId: string, next: string[]) => {
    clearTags.run(conversationId);
    for (const t of next) addTag.run(conversationId, t);
  });

  return {
    add(conversationId: string, author: { id: string; name: string }, text: string, now = Date.now()): Note {
      return toNote(insert.get(conversationId, author.id, author.name, text, now)!);
    },
    list(conversationId: string): Note[] {
      return list.all(conversationId).map(toNote);
    },
    tags(conversationId: string): string[] {
      return tags.all(conversationId);
    },
    setTags(conversationId: string, next: string[]): string[] {
      replaceTags(conversationId, [...new Set(next)]);
      return tags.all(conversationId);
    },
  };
}
export type NotesStore = Asyncify<ReturnType<typeof notesStore>>;

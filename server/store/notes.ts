import type { Note } from '../../shared/admin-api.ts';
import type { Sql } from './sql.ts';

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
export function notesStore(sql: Sql) {
  const tags = async (conversationId: string): Promise<string[]> =>
    (await sql.all<{ tag: string }>('SELECT tag FROM conversation_tags WHERE conversation_id = ? ORDER BY tag', [conversationId])).map(
      (r) => r.tag,
    );

  return {
    async add(conversationId: string, author: { id: string; name: string }, text: string, now = Date.now()): Promise<Note> {
      const row = await sql.get<NoteRow>(
        'INSERT INTO notes (conversation_id, author_id, author_name, text, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *',
        [conversationId, author.id, author.name, text, now],
      );
      return toNote(row!);
    },
    async list(conversationId: string): Promise<Note[]> {
      return (await sql.all<NoteRow>('SELECT * FROM notes WHERE conversation_id = ? ORDER BY id', [conversationId])).map(toNote);
    },
    tags,
    async setTags(conversationId: string, next: string[]): Promise<string[]> {
      const unique = [...new Set(next)];
      return sql.tx(async () => {
        await sql.run('DELETE FROM conversation_tags WHERE conversation_id = ?', [conversationId]);
        if (unique.length > 0) {
          await sql.run(
            `INSERT INTO conversation_tags (conversation_id, tag) VALUES ${unique.map(() => '(?, ?)').join(', ')}
             ON CONFLICT DO NOTHING`,
            unique.flatMap((t) => [conversationId, t]),
          );
        }
        return tags(conversationId);
      });
    },
  };
}
export type NotesStore = ReturnType<typeof notesStore>;

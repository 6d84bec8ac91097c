import type {
  ConversationDetail,
  ConversationPage,
  ConversationSummary,
  FollowUpStatus,
  Note,
} from '../../shared/admin-api.ts';
import { AppError } from '../../shared/errors.ts';
import type { Actor } from '../auth/accounts.ts';
import type { Store } from '../store/index.ts';
import type { ScopedFilters } from '../store/reviews.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

/** Transcript review: the filtered list, one conversation in full, notes, tags and follow-ups. */
export function createTranscriptService(store: Store) {
  const { reviews, notes, users, audit } = store.admin;

  async function mustGet(id: string): Promise<ConversationSummary> {
    const c = await reviews.get(id);
    if (!c) throw new AppError('not_found', 'No such conversation.');
    return c;
  }

  return {
    async list(filters: ScopedFilters, cursor: string | undefined, limit: number): Promise<ConversationPage> {
      const after = cursor === undefined ? null : decodeCursor(cursor);
      // one extra row tells whether another page exists without a count(*)
      const rows = await reviews.list(filters, after, limit + 1);
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > limit && last ? encodeCursor({ startedAt: last.startedAt, id: last.id }) : null };
    },
    get: mustGet,
    async detail(id: string): Promise<ConversationDetail> {
      const conversation = await mustGet(id);
      const [messages, answers, extraction, noteList, visitor] = await Promise.all([
        store.messages.list(id),
        store.answers.list(id),
        reviews.extraction(id),
        notes.list(id),
        conversation.visitorId ? reviews.visitor(conversation.visitorId) : null,
      ]);
      return { conversation, messages, answers, extraction, notes: noteList, visitor };
    },
    async addNote(id: string, actor: Actor, text: string): Promise<Note> {
      await mustGet(id);
      return notes.add(id, { id: actor.id, name: actor.name }, text);
    },
    async setTags(id: string, tags: string[]): Promise<string[]> {
      await mustGet(id);
      return notes.setTags(id, tags);
    },
    async setFollowUp(id: string, actor: Actor, status: FollowUpStatus, assigneeId: string | null | undefined): Promise<ConversationSummary> {
      const current = await mustGet(id);
      let assignee: string | null = null;
      if (status === 'assigned') {
        assignee = assigneeId ?? actor.id;
        const user = await users.get(assignee);
        if (!user || user.disabled) throw new AppError('invalid_payload', 'assigneeId: no such active user');
      } else if (status === 'done') {
        assignee = assigneeId ?? current.followUpAssignee?.id ?? actor.id;
      }
      const chosen = assignee;
      await store.tx(async () => {
        await reviews.setFollowUp(id, status, chosen);
        await audit.log({ actorId: actor.id, actor: actor.email, action: 'conversation.follow_up', target: id, detail: { status, assignee: chosen } });
      });
      return mustGet(id);
    },
  };
}
export type TranscriptService = ReturnType<typeof createTranscriptService>;

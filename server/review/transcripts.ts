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

  function mustGet(id: string): ConversationSummary {
    const c = reviews.get(id);
    if (!c) throw new AppError('not_found', 'No such conversation.');
    return c;
  }

  return {
    list(filters: ScopedFilters, cursor: string | undefined, limit: number): ConversationPage {
      const after = cursor === undefined ? null : decodeCursor(cursor);
      // one extra row tells whether another page exists without a count(*)
      const rows = reviews.list(filters, after, limit + 1);
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > limit && last ? encodeCursor({ startedAt: last.startedAt, id: last.id }) : null };
    },
    get: mustGet,
    detail(id: string): ConversationDetail {
      const conversation = mustGet(id);
      return {
        conversation,
        messages: store.messages.list(id),
        answers: store.answers.list(id),
        extraction: reviews.extraction(id),
        notes: notes.list(id),
        visitor: conversation.visitorId ? reviews.visitor(conversation.visitorId) : null,
      };
    },
    addNote(id: string, actor: Actor, text: string): Note {
      mustGet(id);
      return notes.add(id, { id: actor.id, name: actor.name }, text);
    },
    setTags(id: string, tags: string[]): string[] {
      mustGet(id);
      return notes.setTags(id, tags);
    },
    setFollowUp(id: string, actor: Actor, status: FollowUpStatus, assigneeId: string | null | undefined): ConversationSummary {
      mustGet(id);
      let assignee: string | null = null;
      if (status === 'assigned') {
        assignee = assigneeId ?? actor.id;
        const user = users.get(assignee);
        if (!user || user.disabled) throw new AppError('invalid_payload', 'assigneeId: no such active user');
      } else if (status === 'done') {
        assignee = assigneeId ?? mustGet(id).followUpAssignee?.id ?? actor.id;
      }
      reviews.setFollowUp(id, status, assignee);
      audit.log({ actorId: actor.id, actor: actor.email, action: 'conversation.follow_up', target: id, detail: { status, assignee } });
      return mustGet(id);
    },
  };
}
export type TranscriptService = ReturnType<typeof createTranscriptService>;

import { Answer, AnswerValue } from '../../shared/flow.ts';
import { z } from 'zod';
import type { Sql } from './sql.ts';

interface AnswerRow {
  conversation_id: string;
  question_id: string;
  type: string;
  value: string | null;
  raw: string;
  elaborations: string;
  answered_at: number;
}

const Strings = z.array(z.string());

const toAnswer = (r: AnswerRow): Answer => ({
  questionId: r.question_id,
  type: r.type,
  value: r.value === null ? null : AnswerValue.parse(JSON.parse(r.value)),
  raw: r.raw,
  elaborations: Strings.parse(JSON.parse(r.elaborations)),
  answeredAt: r.answered_at,
});

/** Typed survey answers, one per (conversation, question); a later answer replaces the earlier. */
export function answersStore(sql: Sql) {
  return {
    async upsert(conversationId: string, answer: z.input<typeof Answer>): Promise<void> {
      const a = Answer.parse(answer);
      await sql.run(
        `INSERT INTO answers (conversation_id, question_id, type, value, raw, elaborations, answered_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (conversation_id, question_id) DO UPDATE SET
           type = excluded.type, value = excluded.value, raw = excluded.raw,
           elaborations = excluded.elaborations, answered_at = excluded.answered_at`,
        [conversationId, a.questionId, a.type, a.value === null ? null : JSON.stringify(a.value), a.raw, JSON.stringify(a.elaborations), a.answeredAt],
      );
    },
    async list(conversationId: string): Promise<Answer[]> {
      const rows = await sql.all<AnswerRow>('SELECT * FROM answers WHERE conversation_id = ? ORDER BY answered_at, question_id', [conversationId]);
      return rows.map(toAnswer);
    },
  };
}
export type AnswersStore = ReturnType<typeof answersStore>;

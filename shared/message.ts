import { z } from 'zod';

export const Author = z.enum(['visitor', 'bot', 'agent', 'system']);
export type Author = z.infer<typeof Author>;

/** A quick-reply button: `label` is shown, `value` is sent back as the answer. */
export const QuickReply = z.object({ label: z.string().min(1).max(200), value: z.string().min(1).max(200) });
export type QuickReply = z.infer<typeof QuickReply>;

/** What the server offers the visitor as an answer widget under a bot message. */
export const ReplyOptions = z.object({
  options: z.array(QuickReply).max(30),
  /** multiple choice: the visitor may pick several, then confirm */
  multiple: z.boolean().default(false),
  /** the question may be skipped */
  skippable: z.boolean().default(false),
  /** a rating scale's end labels, shown under the buttons ("Not likely" ... "Very likely"); absent otherwise */
  scale: z.object({ low: z.string().min(1).max(100), high: z.string().min(1).max(100) }).nullable().optional(),
});
export type ReplyOptions = z.infer<typeof ReplyOptions>;

/** One line of a transcript, as stored and as sent to the widget and admin. */
export const Message = z.object({
  id: z.number().int(),
  conversationId: z.string(),
  /** 1, 2, 3 ... within the conversation; the widget asks for "everything after seq N" */
  seq: z.number().int().positive(),
  /** the widget's id for a visitor message; resending the same id never duplicates */
  clientId: z.string().nullable(),
  author: Author,
  /** shown for agent messages ("Ana from Acme") */
  authorName: z.string().nullable(),
  text: z.string(),
  reply: ReplyOptions.nullable(),
  createdAt: z.number().int(),
});
export type Message = z.infer<typeof Message>;

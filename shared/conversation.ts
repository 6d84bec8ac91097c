import { z } from 'zod';

export const ConversationStatus = z.enum(['open', 'ended']);
/** who answers the visitor: the bot, or a person who took over */
export const ConversationMode = z.enum(['bot', 'human']);
export const EndReason = z.enum(['completed', 'visitor', 'idle', 'agent', 'retention']);
export type EndReason = z.infer<typeof EndReason>;

/** A conversation as the widget sees it. */
export const ConversationView = z.object({
  id: z.string(),
  flowId: z.string().nullable(),
  status: ConversationStatus,
  mode: ConversationMode,
  /** name of the person who took over, when mode is human */
  agentName: z.string().nullable(),
  startedAt: z.number().int(),
  endedAt: z.number().int().nullable(),
  endReason: EndReason.nullable(),
});
export type ConversationView = z.infer<typeof ConversationView>;

/**
 * The /visitor socket.io namespace: what the widget sends (validated by these schemas on the
 * server), what each ack carries, and what the server pushes. Server->client events state
 * facts in the past tense.
 */
import { z } from 'zod';
import type { Ack } from './errors.ts';
import { LIMITS } from './errors.ts';
import type { ConversationView, EndReason } from './conversation.ts';
import type { Message } from './message.ts';
import { LanguageTag, type PublicSiteSettings } from './site.ts';

/** socket.io handshake `auth`. The origin is taken from the request, never from here. */
export const VisitorHandshake = z.object({
  siteKey: z.string().min(1).max(64),
  /** the token from an earlier session.hello; absent for a new visitor */
  visitorToken: z.string().min(16).max(128).optional(),
});
export type VisitorHandshake = z.infer<typeof VisitorHandshake>;

const conversationId = z.string().min(1).max(64);
const clientId = z.string().min(LIMITS.CLIENT_ID_MIN).max(LIMITS.CLIENT_ID_MAX);

export const VisitorPayloads = {
  /** first event after connecting: who am I, what is under way */
  'session:hello': z.object({
    /** the browser's language; a malformed one is ignored (the site's default applies) */
    locale: LanguageTag.optional().catch(undefined),
    /** the page the widget is on (for the transcript), given by the embed */
    pageUrl: z.string().max(2000).optional(),
  }),
  /** start a conversation (or return the open one for that flow unless `restart`) */
  'conversation:start': z.object({ flowId: z.string().max(64).optional(), restart: z.boolean().default(false) }),
  /** a visitor message; `value` is the quick-reply value when a button was clicked */
  'message:send': z.object({
    conversationId,
    clientId,
    // the size limit is checked separately so that it gets its own error code
    text: z
      .string()
      .min(1)
      .max(LIMITS.MESSAGE_MAX_CHARS * 10)
      .refine((t) => t.trim().length > 0, 'A message needs some text; it was empty or only spaces.'),
    value: z.union([z.string().max(200), z.array(z.string().max(200)).max(30)]).optional(),
  }),
  /** everything after seq `afterSeq` (after a reconnect) */
  'messages:since': z.object({ conversationId, afterSeq: z.number().int().min(0) }),
  'conversation:end': z.object({ conversationId }),
  'visitor:identify': z.object({
    id: z.string().min(1).max(200),
    name: z.string().max(200).optional(),
    email: z.string().email().max(320).optional(),
    /** hex HMAC-SHA256 of `id` with the site's identity secret */
    userHash: z.string().max(128).optional(),
  }),
  'visitor:typing': z.object({ conversationId, typing: z.boolean() }),
  /** the visitor has seen the conversation up to `seq` (the widget was open): replies stop counting as unread */
  'messages:read': z.object({ conversationId, seq: z.number().int().min(0) }),
} as const;
export type VisitorPayloads = { [K in keyof typeof VisitorPayloads]: z.input<(typeof VisitorPayloads)[K]> };

/** What each ack carries on success. */
export interface VisitorAcks {
  'session:hello': {
    visitorToken: string;
    visitorId: string;
    verified: boolean;
    site: PublicSiteSettings;
    /** the visitor's latest open conversation, else one that ended in the last 24 hours, with its transcript */
    conversation: ConversationView | null;
    messages: Message[];
    /** seqs of replies in `messages` the visitor has not seen yet (they count on the unread badge) */
    unread?: number[];
    /** a reply may still come (a follow-up is open): keep loading the widget at once on the site's pages */
    awaiting?: boolean;
  };
  'conversation:start': { conversation: ConversationView; messages: Message[] };
  'message:send': { message: Message; duplicate: boolean };
  'messages:since': { messages: Message[] };
  'conversation:end': { conversation: ConversationView };
  'visitor:identify': { verified: boolean };
  'visitor:typing': object;
  'messages:read': object;
}

export type VisitorClientEvents = {
  [K in keyof VisitorAcks]: (payload: VisitorPayloads[K], ack: (res: Ack<VisitorAcks[K]>) => void) => void;
};

export interface VisitorServerEvents {
  'message:created': (message: Message) => void;
  /** a piece of a bot reply being streamed; the full text follows as message:created with the same draftId */
  'message:delta': (delta: { conversationId: string; draftId: string; text: string }) => void;
  'typing:changed': (t: { conversationId: string; author: 'bot' | 'agent'; typing: boolean }) => void;
  'conversation:updated': (conversation: ConversationView) => void;
  'conversation:ended': (e: { conversationId: string; reason: EndReason }) => void;
}

/** A Message pushed as message:created may carry the draft it completes. */
export type CreatedMessage = Message & { draftId?: string };

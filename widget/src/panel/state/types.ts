import type { ConversationView } from '../../../../shared/conversation.ts';
import type { ErrorCode } from '../../../../shared/errors.ts';
import type { Message } from '../../../../shared/message.ts';
import type { PublicSiteSettings } from '../../../../shared/site.ts';

/** A visitor message the server has not acknowledged yet. */
export interface OutboxEntry {
  clientId: string;
  /** null when typed before any conversation was known (offline after a reload); filled at send time */
  conversationId: string | null;
  text: string;
  value?: string | string[];
  status: 'sending' | 'failed';
  /** why it failed: an error code from the ack, or 'timeout' when no ack came */
  error?: ErrorCode | 'timeout';
  /** the server refused it for good (e.g. too long): shown as not sent, never resent */
  final?: boolean;
}

export type ConnectionStatus = 'connecting' | 'online' | 'offline' | 'unavailable';

/** A line in the transcript that is not a message: "Ana joined the conversation". */
export interface Notice {
  id: number;
  /** shown after the message with this seq (0: before all) */
  afterSeq: number;
  kind: 'agentJoined' | 'agentLeft';
  name: string;
}

export interface Banner {
  kind: 'rateLimited' | 'tooLong' | 'genericError';
}

export interface PanelState {
  status: ConnectionStatus;
  site: PublicSiteSettings | null;
  conversation: ConversationView | null;
  /** server messages of the current conversation, ordered by seq, no duplicates */
  messages: Message[];
  outbox: OutboxEntry[];
  /** streamed bot replies in progress, in arrival order */
  drafts: { draftId: string; text: string }[];
  typing: { bot: boolean; agent: boolean };
  notices: Notice[];
  banner: Banner | null;
}

export type Action =
  | { type: 'status'; status: ConnectionStatus }
  | { type: 'site'; site: PublicSiteSettings }
  /** a conversation was loaded or started: its transcript replaces what is shown */
  | { type: 'conversation'; conversation: ConversationView | null; messages: Message[] }
  /** messages to merge (an ack, a push, messages:since) */
  | { type: 'messages'; messages: (Message & { draftId?: string })[] }
  | { type: 'delta'; conversationId: string; draftId: string; text: string }
  | { type: 'typing'; conversationId: string; author: 'bot' | 'agent'; typing: boolean }
  | { type: 'updated'; conversation: ConversationView }
  | { type: 'ended'; conversationId: string }
  | { type: 'outbox'; entries: OutboxEntry[] }
  | { type: 'banner'; banner: Banner | null };

export const initialState: PanelState = {
  status: 'connecting',
  site: null,
  conversation: null,
  messages: [],
  outbox: [],
  drafts: [],
  typing: { bot: false, agent: false },
  notices: [],
  banner: null,
};

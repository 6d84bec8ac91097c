/**
 * The in-process bus between the conversation service and its adapters (visitor and admin
 * realtime, extraction, routing). Facts in the past tense. Beyond one process this is where
 * the socket.io Redis adapter takes over fan-out; services only ever emit here.
 */
import { EventEmitter } from 'node:events';
import type { ConversationView, EndReason } from '../../shared/conversation.ts';
import type { CreatedMessage } from '../../shared/visitor-events.ts';

interface Scope {
  siteId: string;
  visitorId: string | null;
  conversationId: string;
}

export interface ConversationBusEvents {
  /** `origin`: the visitor socket that sent it, which has it in its ack already */
  'message:created': [Scope & { message: CreatedMessage; origin?: string }];
  'message:delta': [Scope & { draftId: string; text: string }];
  'typing:changed': [Scope & { author: 'bot' | 'agent' | 'visitor'; typing: boolean }];
  'conversation:started': [Scope & { conversation: ConversationView }];
  'conversation:updated': [Scope & { conversation: ConversationView }];
  /** `endedAt` tells this end from a later one (a conversation that ended idle may reopen and end again) */
  'conversation:ended': [Scope & { reason: EndReason; endedAt: number }];
  /** a visitor message (`seq`) reopened a conversation that had ended for inactivity */
  'conversation:reopened': [Scope & { seq: number }];
  /** the visitor asked for a person or the bot could not help */
  'handoff:requested': [Scope];
}

export class ConversationBus extends EventEmitter<ConversationBusEvents> {}

/**
 * Bus facts -> the visitor's sockets (room visitor:<id>). A visitor sees the bot's and agents'
 * typing but never an echo of its own.
 */
import type { Namespace } from 'socket.io';
import type { VisitorServerEvents } from '../../shared/visitor-events.ts';
import type { ConversationBus, ConversationBusEvents } from '../conversation/events.ts';
import { visitorRoom } from './visitor.ts';

type Fact<K extends keyof ConversationBusEvents> = ConversationBusEvents[K][0];

/** subscribe; returns the unsubscribe */
export function fanOutToVisitors(bus: ConversationBus, nsp: Namespace): () => void {
  const emit = <K extends keyof VisitorServerEvents>(visitorId: string | null, event: K, ...args: Parameters<VisitorServerEvents[K]>) => {
    if (visitorId) nsp.to(visitorRoom(visitorId)).emit(event, ...args);
  };
  const created = (e: Fact<'message:created'>) => emit(e.visitorId, 'message:created', e.message);
  const delta = (e: Fact<'message:delta'>) => emit(e.visitorId, 'message:delta', { conversationId: e.conversationId, draftId: e.draftId, text: e.text });
  const typing = (e: Fact<'typing:changed'>) => {
    if (e.author !== 'visitor') emit(e.visitorId, 'typing:changed', { conversationId: e.conversationId, author: e.author, typing: e.typing });
  };
  const updated = (e: Fact<'conversation:updated'>) => emit(e.visitorId, 'conversation:updated', e.conversation);
  const ended = (e: Fact<'conversation:ended'>) => emit(e.visitorId, 'conversation:ended', { conversationId: e.conversationId, reason: e.reason });

  bus.on('message:created', created);
  bus.on('message:delta', delta);
  bus.on('typing:changed', typing);
  bus.on('conversation:updated', updated);
  bus.on('conversation:ended', ended);
  return () => {
    bus.off('message:created', created);
    bus.off('message:delta', delta);
    bus.off('typing:changed', typing);
    bus.off('conversation:updated', updated);
    bus.off('conversation:ended', ended);
  };
}

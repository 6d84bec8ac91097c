/**
 * Bus facts -> the visitor's sockets (room visitor:<id>). A visitor sees the bot's and agents'
 * typing but never an echo of its own; the socket that sent a message has it in its ack and does
 * not get it again as message:created (the visitor's other tabs do).
 *
 * The bot's "typing" is held back for BOT_TYPING_HOLD_MS: a bot turn that answers within it (the
 * offline engine, its reply group-committed and, with PARLEY_DB_SYNC=full, flushed to the disk)
 * would otherwise cost two socket writes per message for an indicator that flashes too briefly
 * to read. A held "typing on" is sent once the hold is over or the turn starts streaming (a
 * delta), so the order a visitor sees is unchanged: typing on, deltas, message, typing off.
 */
import type { Namespace } from 'socket.io';
import type { VisitorServerEvents } from '../../shared/visitor-events.ts';
import type { ConversationBus, ConversationBusEvents } from '../conversation/events.ts';
import { anyoneElseIn } from './rooms.ts';
import { visitorRoom } from './visitor.ts';

type Fact<K extends keyof ConversationBusEvents> = ConversationBusEvents[K][0];

/** how long the bot's "typing on" waits for its reply before it is shown */
export const BOT_TYPING_HOLD_MS = 50;

/** subscribe; returns the unsubscribe */
export function fanOutToVisitors(bus: ConversationBus, nsp: Namespace): () => void {
  const emit = <K extends keyof VisitorServerEvents>(visitorId: string | null, event: K, ...args: Parameters<VisitorServerEvents[K]>) => {
    if (visitorId) nsp.to(visitorRoom(visitorId)).emit(event, ...args);
  };
  const sendTyping = (e: Fact<'typing:changed'>) => {
    if (e.author !== 'visitor') emit(e.visitorId, 'typing:changed', { conversationId: e.conversationId, author: e.author, typing: e.typing });
  };

  /** bot "typing on" not sent yet, by conversation, with when it came (in arrival order) */
  const heldTyping = new Map<string, { e: Fact<'typing:changed'>; at: number }>();
  let flushTimer: NodeJS.Timeout | null = null;
  // one timer for all: it sends those held long enough and waits again for the oldest of the rest
  const releaseHeld = () => {
    flushTimer = null;
    const now = performance.now();
    for (const [conversationId, held] of heldTyping) {
      const wait = held.at + BOT_TYPING_HOLD_MS - now;
      // timers run on the loop's millisecond clock and may fire a fraction early
      if (wait > 1) {
        flushTimer = setTimeout(releaseHeld, wait);
        return;
      }
      heldTyping.delete(conversationId);
      sendTyping(held.e);
    }
  };
  const releaseOne = (conversationId: string) => {
    const held = heldTyping.get(conversationId);
    if (!held) return;
    heldTyping.delete(conversationId);
    sendTyping(held.e);
  };

  const created = (e: Fact<'message:created'>) => {
    // a reply from someone other than the bot while the bot is "typing": show the typing first
    if (e.message.author !== 'bot') releaseOne(e.conversationId);
    // the sending socket has its own message in the ack: only the visitor's other tabs need it
    if (e.origin === undefined) return emit(e.visitorId, 'message:created', e.message);
    if (!e.visitorId) return;
    const room = visitorRoom(e.visitorId);
    if (anyoneElseIn(nsp, room, e.origin)) nsp.to(room).except(e.origin).emit('message:created', e.message);
  };
  const delta = (e: Fact<'message:delta'>) => {
    releaseOne(e.conversationId);
    emit(e.visitorId, 'message:delta', { conversationId: e.conversationId, draftId: e.draftId, text: e.text });
  };
  const typing = (e: Fact<'typing:changed'>) => {
    if (e.author === 'visitor') return;
    if (e.author === 'bot' && e.typing) {
      // a second "typing on" keeps its place and time (the first is still held)
      if (!heldTyping.has(e.conversationId)) heldTyping.set(e.conversationId, { e, at: performance.now() });
      flushTimer ??= setTimeout(releaseHeld, BOT_TYPING_HOLD_MS);
      return;
    }
    // "typing off" for a "typing on" the visitor never saw: neither needs sending
    if (e.author === 'bot' && heldTyping.delete(e.conversationId)) return;
    sendTyping(e);
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
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    heldTyping.clear();
  };
}

/**
 * ResponsePorts used until a delivery part (SMTP e-mail, replies into the widget) is wired in
 * main.ts: each call is logged and dropped, so routing still works and nothing pretends to send.
 */
import type { Logger } from '../logger.ts';
import type { ResponsePorts } from './ports.ts';

export function unwiredPorts(log: Logger): ResponsePorts {
  return {
    sendEmail: async (m) => log.warn({ to: m.to, key: m.idempotencyKey }, 'no e-mail delivery is configured: message dropped'),
    sendReply: async (m) => log.warn({ conversationId: m.conversationId, key: m.idempotencyKey }, 'no reply delivery is configured: reply dropped'),
  };
}

/**
 * An in-memory ResponsePorts for tests and for running without a delivery part: it records each
 * message once per idempotency key, as the real (durable) implementation promises.
 */
import type { ResponsePorts, SendEmail, SendReply } from './ports.ts';

export interface RecordingPorts extends ResponsePorts {
  emails: SendEmail[];
  replies: SendReply[];
}

export function recordingPorts(): RecordingPorts {
  const seen = new Set<string>();
  const emails: SendEmail[] = [];
  const replies: SendReply[] = [];
  return {
    emails,
    replies,
    async sendEmail(input) {
      if (seen.has(`email:${input.idempotencyKey}`)) return;
      seen.add(`email:${input.idempotencyKey}`);
      emails.push(input);
    },
    async sendReply(input) {
      if (seen.has(`reply:${input.idempotencyKey}`)) return;
      seen.add(`reply:${input.idempotencyKey}`);
      replies.push(input);
    },
  };
}

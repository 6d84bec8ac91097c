/**
 * E-mail as a durable job: `queue` writes the outbox row and its job in one transaction (a repeat
 * of the idempotency key writes nothing), the `email` job handler sends it once. Refusals (5xx)
 * end at once as "refused"; 4xx and network errors retry with the queue's backoff until the
 * last attempt, then end as "failed". Both stay in the e-mail log.
 */
import { z } from 'zod';
import { PermanentJobError } from '../jobs/permanent-error.ts';
import type { JobHandler } from '../jobs/worker.ts';
import type { Logger } from '../logger.ts';
import type { OutboxEmail } from '../store/email-outbox.ts';
import type { Store } from '../store/index.ts';
import { messageIdFor, SmtpFailure, type Mailer } from './mailer.ts';
import type { SendEmail } from './ports.ts';

export const EMAIL_JOB = 'email';
/** attempts before a retried e-mail is given up (the job worker's own limit is the same) */
export const EMAIL_MAX_ATTEMPTS = 5;

const EmailJobPayload = z.object({ emailId: z.number().int(), conversationId: z.string().optional() });

/** queue one e-mail; call inside the transaction of the event that causes it when there is one */
export function queueEmail(store: Store, mailer: Pick<Mailer, 'from'>, input: SendEmail, now = Date.now()): Promise<OutboxEmail | null> {
  return store.tx(async () => {
    const row = await store.emails.add(
      {
        idempotencyKey: input.idempotencyKey,
        siteId: input.siteId,
        conversationId: input.conversationId ?? null,
        to: input.to,
        subject: input.subject,
        text: input.text,
        messageId: messageIdFor(input.idempotencyKey, mailer.from),
      },
      now,
    );
    if (!row) return null;
    // the conversation id in the payload lets forgetting a visitor cancel the job
    await store.jobs.enqueue(EMAIL_JOB, { emailId: row.id, ...(row.conversationId ? { conversationId: row.conversationId } : {}) }, { dedupeKey: `email:${row.id}` });
    return row;
  });
}

export function emailJobHandler(deps: { store: Store; mailer: Mailer; log: Logger; maxAttempts?: number }): JobHandler {
  const { store, mailer, log } = deps;
  const maxAttempts = deps.maxAttempts ?? EMAIL_MAX_ATTEMPTS;
  return async (payload, job) => {
    const parsed = EmailJobPayload.safeParse(payload);
    if (!parsed.success) throw new PermanentJobError('invalid email job payload');
    const email = await store.emails.get(parsed.data.emailId);
    // forgotten (deleted with its conversation) or already through: nothing to send
    if (!email || email.status === 'sent' || email.status === 'refused' || email.status === 'failed') return;
    await store.emails.countAttempt(email.id);
    try {
      const response = await mailer.send(email);
      await store.emails.markSent(email.id, response);
      log.info({ emailId: email.id, to: email.to }, 'e-mail sent');
    } catch (err) {
      const failure = err instanceof SmtpFailure ? err : new SmtpFailure(err instanceof Error ? err.message : String(err), false, null);
      if (failure.permanent) {
        await store.emails.markProblem(email.id, mailer.problem ? 'failed' : 'refused', failure.message);
        throw new PermanentJobError(failure.message);
      }
      const last = job.attempts >= maxAttempts;
      await store.emails.markProblem(email.id, last ? 'failed' : 'retrying', failure.message);
      throw last ? new PermanentJobError(failure.message) : failure;
    }
  };
}

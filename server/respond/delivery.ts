/**
 * The ResponsePorts implementation (see ports.ts): e-mail through the durable outbox, and replies
 * that become an agent line in the visitor's conversation. A reply is written as a queued row and
 * a `reply` job in one transaction, then delivered at once when it can be (and by the job after a
 * crash); delivering appends the transcript line, fans it out to the visitor's open widgets and
 * queues its e-mail copy, all keyed so that each happens once.
 */
import { AsyncResource } from 'node:async_hooks';
import { z } from 'zod';
import type { Message } from '../../shared/message.ts';
import type { ReplyLang } from '../../shared/reach.ts';
import type { ConversationBus } from '../conversation/events.ts';
import { PermanentJobError } from '../jobs/permanent-error.ts';
import type { JobHandler } from '../jobs/worker.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/index.ts';
import type { VisitorReply } from '../store/visitor-replies.ts';
import { customerOf } from './customer.ts';
import { EMAIL_JOB, emailJobHandler, queueEmail } from './email.ts';
import type { Mailer } from './mailer.ts';
import type { ResponsePorts, SendEmail, SendReply } from './ports.ts';

export const REPLY_JOB = 'reply';
const ReplyJobPayload = z.object({ replyId: z.number().int(), conversationId: z.string() });

const SUBJECT: ReadonlyMap<ReplyLang, (site: string) => string> = new Map([
  ['en', (s: string) => `A reply to your message${s ? ` to ${s}` : ''}`],
  ['de', (s: string) => `Eine Antwort auf Ihre Nachricht${s ? ` an ${s}` : ''}`],
  ['fr', (s: string) => `Une réponse à votre message${s ? ` à ${s}` : ''}`],
  ['es', (s: string) => `Una respuesta a su mensaje${s ? ` a ${s}` : ''}`],
]);

export function replySubject(lang: ReplyLang, siteName: string): string {
  return (SUBJECT.get(lang) ?? SUBJECT.get('en')!)(siteName);
}

/**
 * An async scope made at module load, outside any transaction: a delivery deferred from inside a
 * caller's transaction runs in it, so its own transaction waits for the caller's to end instead
 * of nesting into it (the store finds "the current transaction" through AsyncLocalStorage).
 */
const outsideAnyTx = new AsyncResource('parley:reply-delivery');

export interface ResponseDeps {
  store: Store;
  bus: ConversationBus;
  mailer: Mailer;
  log: Logger;
  /** look for due jobs now (the job worker's wake); optional in tests that drain by hand */
  wake?: () => void;
  now?: () => number;
}

export interface Delivery extends ResponsePorts {
  /** queue and deliver at once; returns the reply row (the earlier one when the key was used before), null when the conversation is gone */
  sendReplyNow(input: SendReply): Promise<VisitorReply | null>;
  /** handlers to give startJobWorker: `email` and `reply` */
  jobHandlers: Record<string, JobHandler>;
}

export function createResponsePorts(deps: ResponseDeps): Delivery {
  const { store, bus, mailer, log } = deps;
  const now = deps.now ?? Date.now;
  const wake = () => deps.wake?.();

  async function sendEmail(input: SendEmail): Promise<void> {
    if (await queueEmail(store, mailer, input, now())) wake();
  }

  /** the transcript line, its fan-out and its e-mail copy; no-op when already delivered or forgotten */
  async function deliver(replyId: number): Promise<Message | null> {
    const done = await store.tx(async () => {
      const r = await store.replies.get(replyId);
      if (!r || r.deliveredAt !== null) return null;
      const c = await store.conversations.get(r.conversationId);
      if (!c) return null;
      const { message } = await store.messages.append(c.id, { author: 'agent', authorName: r.authorName, text: r.text, clientId: `reply:${r.id}` }, now());
      await store.replies.markDelivered(r.id, message.id, message.seq, now());
      const customer = r.emailToo ? await customerOf(store, c.id) : null;
      if (customer?.email) {
        const sign = `\n\n— ${r.authorName}${customer.siteName ? `, ${customer.siteName}` : ''}`;
        await queueEmail(store, mailer, {
          siteId: c.siteId,
          conversationId: c.id,
          to: customer.email,
          subject: replySubject(customer.lang, customer.siteName),
          text: r.text + sign,
          idempotencyKey: `${r.idempotencyKey}:email`,
        }, now());
      }
      return { message, scope: { siteId: c.siteId, visitorId: c.visitorId, conversationId: c.id } };
    });
    if (!done) return null;
    // widgets of this visitor that are online see it now; the others on their next page (hello)
    bus.emit('message:created', { ...done.scope, message: done.message });
    wake();
    return done.message;
  }

  /** null when the conversation is gone (forgotten): nothing to reply to */
  function queueReply(input: SendReply): Promise<VisitorReply | null> {
    return store.tx(async () => {
      if (!(await store.conversations.get(input.conversationId))) return null;
      const { reply, created } = await store.replies.add(
        { idempotencyKey: input.idempotencyKey, conversationId: input.conversationId, agentId: input.agentId, authorName: input.authorName, text: input.text, emailToo: input.emailToo ?? true },
        now(),
      );
      if (created) await store.jobs.enqueue(REPLY_JOB, { replyId: reply.id, conversationId: reply.conversationId }, { dedupeKey: `reply:${reply.id}` });
      return reply;
    });
  }

  async function sendReplyNow(input: SendReply): Promise<VisitorReply | null> {
    const reply = await queueReply(input);
    if (!reply) {
      log.info({ conversationId: input.conversationId }, 'reply to a conversation that no longer exists: dropped');
      return null;
    }
    try {
      await deliver(reply.id);
    } catch (err) {
      // the queued job delivers it later
      log.warn({ err, replyId: reply.id }, 'reply not delivered at once; the job will retry');
    }
    return (await store.replies.get(reply.id)) ?? reply;
  }

  return {
    sendEmail,
    async sendReply(input) {
      const reply = await queueReply(input);
      if (!reply || reply.deliveredAt !== null) return;
      // callers (rules, playbooks) may be inside their own transaction: deliver once it has
      // ended (outside it, the delivery's transaction waits for it), so nobody sees a line that a
      // rollback takes back (then there is nothing to deliver)
      outsideAnyTx.runInAsyncScope(() =>
        setImmediate(() => {
          deliver(reply.id).catch((err: unknown) => log.warn({ err, replyId: reply.id }, 'reply not delivered at once; the job will retry'));
        }),
      );
      wake();
    },
    sendReplyNow,
    jobHandlers: {
      [EMAIL_JOB]: emailJobHandler({ store, mailer, log }),
      [REPLY_JOB]: async (payload) => {
        const parsed = ReplyJobPayload.safeParse(payload);
        if (!parsed.success) throw new PermanentJobError('invalid reply job payload');
        await deliver(parsed.data.replyId);
      },
    },
  };
}

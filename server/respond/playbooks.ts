/**
 * Built-in follow-up playbooks an owner switches on per site:
 * - thank promoters (with a public review link when one is set), right after the analysis;
 * - tell the customer when their follow-up is marked done;
 * - ask a detractor again after N days whether things got better: when due, the check-in waits
 *   for the visitor's next visit, where the widget opens a short CSAT chat linked to the first
 *   conversation (and an e-mail asks too when an address is known); its answer marks the first
 *   conversation "recovered" (4-5) or "not recovered" (1-3).
 * Each run is scheduled once per conversation (unique key) as a durable job whose payload names
 * the conversation, so forgetting the visitor deletes the run and cancels the job.
 */
import { z } from 'zod';
import type { ConversationSummary } from '../../shared/admin-api.ts';
import type { Extraction } from '../../shared/extraction.ts';
import type { PlaybookName, PlaybookRun } from '../../shared/reach.ts';
import type { VisitorAcks } from '../../shared/visitor-events.ts';
import type { Site } from '../../shared/site.ts';
import type { ConversationService } from '../conversation/service.ts';
import { PermanentJobError } from '../jobs/permanent-error.ts';
import type { JobHandler } from '../jobs/worker.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/index.ts';
import type { Visitor } from '../store/visitors.ts';
import { customerOf } from './customer.ts';
import { recheckFlow, recheckFlowId, RECHECK_QUESTION_ID, texts } from './playbook-texts.ts';
import type { ResponsePorts } from './ports.ts';

export const PLAYBOOK_JOB = 'playbook';
const DAY_MS = 24 * 60 * 60 * 1000;
const PlaybookJobPayload = z.object({ runId: z.number().int(), conversationId: z.string() });

export interface PlaybookDeps {
  store: Store;
  ports: ResponsePorts;
  log: Logger;
  /** starts the check-in chat; absent in tests that do not run conversations */
  conversations?: Pick<ConversationService, 'start'>;
  now?: () => number;
  wake?: () => void;
}

/** a check-in answer of 4 or 5 (of 5) means things got better */
export function recoveryOf(x: Extraction): 'recovered' | 'not_recovered' | null {
  const r = x.ratings.find((q) => q.questionId === RECHECK_QUESTION_ID) ?? x.ratings.find((q) => q.type === 'csat');
  if (!r) return null;
  return r.value >= r.scaleMin + (r.scaleMax - r.scaleMin) * 0.75 ? 'recovered' : 'not_recovered';
}

export function createPlaybooks(deps: PlaybookDeps) {
  const { store, ports, log } = deps;
  const now = deps.now ?? Date.now;

  async function schedule(playbook: PlaybookName, siteId: string, conversationId: string, runAt: number): Promise<PlaybookRun | null> {
    const run = await store.tx(async () => {
      const r = await store.playbooks.schedule(playbook, siteId, conversationId, runAt, now());
      if (r) await store.jobs.enqueue(PLAYBOOK_JOB, { runId: r.id, conversationId }, { runAt, dedupeKey: `playbook:${r.id}` });
      return r;
    });
    if (run && runAt <= now()) deps.wake?.();
    return run;
  }

  function reply(run: PlaybookRun, text: string, siteName: string): Promise<void> {
    return ports.sendReply({ conversationId: run.conversationId, text, authorName: siteName || 'Team', agentId: null, idempotencyKey: `playbook:${run.id}` });
  }

  async function runDue(run: PlaybookRun): Promise<void> {
    const customer = await customerOf(store, run.conversationId);
    if (!customer) return; // forgotten
    const t = texts(customer.lang);
    const settings = await store.playbooks.settings(customer.conversation.siteId);
    switch (run.playbook) {
      case 'thank_promoter': {
        const url = settings.thankPromoters.reviewUrl;
        await reply(run, t.thanks(customer.name, customer.siteName) + (url ? `\n\n${t.review(url)}` : ''), customer.siteName);
        await store.playbooks.finish(run.id, 'sent', null);
        return;
      }
      case 'resolved':
        await reply(run, t.resolved(customer.name), customer.siteName);
        await store.playbooks.finish(run.id, 'sent', null);
        return;
      case 'recheck_detractor': {
        // the chat starts on the visitor's next visit (a chat opened now would idle out unseen)
        await store.playbooks.finish(run.id, 'sent', 'waiting for the visitor to come back');
        const page = customer.conversation.pageUrl;
        if (customer.email && page) {
          await ports.sendEmail({
            siteId: customer.conversation.siteId,
            conversationId: run.conversationId,
            to: customer.email,
            subject: t.recheckQuestion.replace(/\s*\(.*\)$/, ''),
            text: `${t.recheckIntro}\n\n${t.recheckQuestion}\n\n${page}`,
            idempotencyKey: `playbook:${run.id}:email`,
          });
        }
        return;
      }
    }
  }

  const jobHandler: JobHandler = async (payload) => {
    const parsed = PlaybookJobPayload.safeParse(payload);
    if (!parsed.success) throw new PermanentJobError('invalid playbook job payload');
    const run = await store.playbooks.get(parsed.data.runId);
    if (!run || run.status !== 'scheduled') return;
    await runDue(run);
  };

  return {
    jobHandlers: { [PLAYBOOK_JOB]: jobHandler } as Record<string, JobHandler>,

    /** startJobWorker({ afterExtraction: [playbooks.afterExtraction] }) */
    async afterExtraction(x: Extraction): Promise<void> {
      const c = await store.conversations.get(x.conversationId);
      if (!c) return;
      const checkIn = await store.playbooks.byRecheckConversation(c.id);
      if (checkIn) {
        const outcome = recoveryOf(x);
        if (outcome) await store.playbooks.recordAnswer(checkIn.id, outcome, x.summary);
        return;
      }
      // the widget is how a playbook reaches the customer: ingested items have no visitor
      if (!c.visitorId) return;
      const s = await store.playbooks.settings(c.siteId);
      if (s.thankPromoters.enabled && x.npsCategory === 'promoter') await schedule('thank_promoter', c.siteId, c.id, now());
      if (s.recheckDetractors.enabled && x.npsCategory === 'detractor') await schedule('recheck_detractor', c.siteId, c.id, now() + s.recheckDetractors.afterDays * DAY_MS);
    },

    /** after a follow-up status change (admin page, inbox) */
    async followUpChanged(c: ConversationSummary): Promise<void> {
      if (c.followUpStatus !== 'done' || !c.visitorId) return;
      if ((await store.playbooks.settings(c.siteId)).resolved.enabled) await schedule('resolved', c.siteId, c.id, now());
    },

    /** on the visitor's next visit: start a due check-in chat; returns the hello to send */
    async startDueCheckIn(site: Site, visitor: Visitor, ack: VisitorAcks['session:hello']): Promise<{ ack: VisitorAcks['session:hello']; opened: number[] }> {
      if (!deps.conversations || ack.conversation?.status === 'open') return { ack, opened: [] };
      const run = await store.playbooks.pendingRecheck(visitor.id);
      if (!run) return { ack, opened: [] };
      const lang = (await customerOf(store, run.conversationId))?.lang ?? 'en';
      const flow = recheckFlow(lang);
      await store.tx(async () => {
        if (!(await store.flows.get(site.id, flow.id))) await store.flows.upsert(site.id, flow);
      });
      try {
        const started = await deps.conversations.start(site, visitor, { flowId: recheckFlowId(lang), restart: false });
        await store.playbooks.linkRecheck(run.id, started.conversation.id);
        return {
          ack: { ...ack, conversation: started.conversation, messages: started.messages },
          opened: started.messages.filter((m) => m.author === 'bot').map((m) => m.seq),
        };
      } catch (err) {
        log.warn({ err, runId: run.id }, 'detractor check-in: could not start the chat');
        return { ack, opened: [] };
      }
    },
  };
}
export type Playbooks = ReturnType<typeof createPlaybooks>;

/**
 * Respond, composed: who sees which site, rules and teams for the admin page, the follow-ups
 * inbox, outbound webhooks, and the rule engine with its after-extraction step. main.ts builds
 * one and hands it to the job worker, the admin API and the /admin namespace.
 */
import { EventEmitter } from 'node:events';
import type { FollowUpStatus } from '../../shared/admin-api.ts';
import type { Extraction } from '../../shared/extraction.ts';
import type { FollowUpCount, FollowUpItem, FollowUpsQuery } from '../../shared/respond.ts';
import type { Actor } from '../auth/accounts.ts';
import type { BackoffOptions } from '../jobs/backoff.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/index.ts';
import { createSiteAccess } from './access.ts';
import { createRuleAdmin, createTeamAdmin } from './admin-rules.ts';
import type { ResponsePorts } from './ports.ts';
import { createRuleEngine, extractionHash } from './rule-engine.ts';
import { createWebhookService } from './webhooks.ts';

export interface RespondOptions {
  store: Store;
  log: Logger;
  /** e-mail and reply delivery (see ports.ts) */
  ports: ResponsePorts;
  /** webhook endpoints may target private/loopback addresses */
  allowPrivateWebhooks?: boolean;
  webhookRetry?: BackoffOptions;
  publicUrl?: () => string | null;
  /** durable jobs were enqueued: wake the worker */
  onJobsEnqueued?: () => void;
  now?: () => number;
}

export interface FollowUpsChanged {
  siteId: string;
  conversationId: string;
}

export function createRespondService(opts: RespondOptions) {
  const { store, log } = opts;
  const events = new EventEmitter<{ 'follow-ups:changed': [FollowUpsChanged] }>();
  const changed = (siteId: string, conversationId: string) => events.emit('follow-ups:changed', { siteId, conversationId });
  const access = createSiteAccess(store);
  const webhooks = createWebhookService({
    store,
    log: log.child({ part: 'webhooks' }),
    allowPrivate: opts.allowPrivateWebhooks === true,
    ...(opts.webhookRetry ? { retry: opts.webhookRetry } : {}),
    ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
    ...(opts.onJobsEnqueued ? { onEnqueued: opts.onJobsEnqueued } : {}),
  });
  const engine = createRuleEngine({
    store,
    ports: opts.ports,
    webhooks,
    log: log.child({ part: 'rules' }),
    onFollowUpsChanged: changed,
    ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });

  return {
    events,
    access,
    webhooks,
    engine,
    rules: createRuleAdmin(store),
    teams: createTeamAdmin(store),

    /** the after-extraction step: announce the analysis, then run the site's rules */
    async afterExtraction(x: Extraction): Promise<void> {
      const siteId = await store.respond.routing.siteOf(x.conversationId);
      if (siteId === null) return;
      await webhooks.emit({
        siteId,
        event: 'conversation.analysed',
        conversationId: x.conversationId,
        eventKey: `conversation.analysed:${x.conversationId}:${extractionHash(x)}`,
        data: {
          summary: x.summary,
          ratings: x.ratings.map((r) => ({ type: r.type, value: r.value, scaleMax: r.scaleMax })),
          npsCategory: x.npsCategory,
          sentiment: { label: x.sentiment.label, score: x.sentiment.score },
          topics: x.topics.map((t) => t.name),
          expectations: x.expectations,
          followUp: x.followUp,
        },
      });
      await engine.run(x);
    },

    /** a conversation ended (bus fact): the `conversation.ended` event, once per end (one that ended idle may end again) */
    async conversationEnded(e: { siteId: string; conversationId: string; reason: string; endedAt: number }): Promise<void> {
      await webhooks.emit({ siteId: e.siteId, event: 'conversation.ended', conversationId: e.conversationId, eventKey: `conversation.ended:${e.conversationId}:${e.endedAt}`, data: { reason: e.reason } });
    },

    /** a visitor message (`seq`) reopened a conversation that ended for inactivity (bus fact): `conversation.reopened` */
    async conversationReopened(e: { siteId: string; conversationId: string; seq: number }): Promise<void> {
      await webhooks.emit({ siteId: e.siteId, event: 'conversation.reopened', conversationId: e.conversationId, eventKey: `conversation.reopened:${e.conversationId}:${e.seq}`, data: { previousEndReason: 'idle' } });
    },

    /** an agent changed a follow-up's status: opened/closed events and the live count */
    async followUpStatusChanged(conversationId: string, before: FollowUpStatus, after: FollowUpStatus, actor: Actor): Promise<void> {
      if (before === after) return;
      const siteId = await store.respond.routing.siteOf(conversationId);
      if (siteId === null) return;
      const now = (opts.now ?? Date.now)();
      const wasOpen = before === 'open' || before === 'assigned';
      const isOpen = after === 'open' || after === 'assigned';
      if (!wasOpen && isOpen)
        await webhooks.emit({ siteId, event: 'follow_up.opened', conversationId, eventKey: `follow_up.opened:${conversationId}:${now}`, data: { by: actor.name, status: after } });
      if (wasOpen && after === 'done')
        await webhooks.emit({ siteId, event: 'follow_up.closed', conversationId, eventKey: `follow_up.closed:${conversationId}:${now}`, data: { by: actor.name } });
      changed(siteId, conversationId);
    },

    async followUps(actor: Actor, q: FollowUpsQuery): Promise<FollowUpItem[]> {
      if (q.siteId !== undefined) await access.assertSite(actor, q.siteId);
      return store.respond.routing.inbox({ scope: await access.scope(actor), mine: q.mine ? actor.id : null, ...(q.siteId ? { siteId: q.siteId } : {}), limit: q.limit });
    },
    async followUpCount(actor: Actor): Promise<FollowUpCount> {
      return store.respond.routing.count(await access.scope(actor), actor.id);
    },
  };
}
export type RespondService = ReturnType<typeof createRespondService>;

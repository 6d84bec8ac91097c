/**
 * Runs a site's routing rules after every stored extraction (re-analysis included), in order.
 *
 * Once per extraction: a firing is recorded under (rule, conversation, extraction content hash),
 * so the same extraction stored again (a retried job, a re-analysis that changed nothing) runs no
 * rule twice. Messages are keyed per (rule, conversation), so even a re-analysis that changed the
 * extraction and matches again does not e-mail, reply or notify twice: the ports and the webhook
 * queue drop a key they have seen. Route-only actions (priority, tags, team) simply apply again.
 */
import { createHash } from 'node:crypto';
import type { Extraction } from '../../shared/extraction.ts';
import type { Rule, RuleAction } from '../../shared/rules.ts';
import type { Logger } from '../logger.ts';
import { fillPlaceholders } from '../sites/canned.ts';
import type { Store } from '../store/index.ts';
import type { RoutingFacts } from '../store/routing.ts';
import { evaluateRule } from './conditions.ts';
import type { ResponsePorts } from './ports.ts';
import type { WebhookService } from './webhooks.ts';

export interface RuleEngineDeps {
  store: Store;
  /** e-mail and automated replies (main.ts passes reach.ports; tests pass a recorder) */
  ports: ResponsePorts;
  webhooks: Pick<WebhookService, 'emit'>;
  log: Logger;
  /** a follow-up opened (the sidebar count changes) */
  onFollowUpsChanged?: (siteId: string, conversationId: string) => void;
  /** the admin page's URL for links in e-mails */
  publicUrl?: () => string | null;
  now?: () => number;
}

/** what identifies an extraction's content: everything but when it was written */
export function extractionHash(x: Extraction): string {
  const { createdAt: _at, ...content } = x;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 32);
}

const HOUR = 60 * 60_000;

export function createRuleEngine(deps: RuleEngineDeps) {
  const { store, ports, log } = deps;
  const now = deps.now ?? Date.now;

  /** perform one action; returns what was done, in words, for the transcript */
  async function act(rule: Rule, a: RuleAction, index: number, x: Extraction, facts: RoutingFacts, reasons: string[], opened: { siteId: string; conversationId: string }[]): Promise<string> {
    const conv = facts.conversationId;
    const key = `rule:${rule.id}:${conv}:${index}`;
    const routing = store.respond.routing;
    switch (a.type) {
      case 'assign': {
        const done: string[] = [];
        if (a.teamId) {
          const team = await store.respond.teams.get(a.teamId);
          if (team) {
            await routing.setTeam(conv, team.id);
            done.push(`team ${team.name}`);
          } else done.push('team (no longer exists: skipped)');
        }
        if (a.agentId) {
          const user = await store.admin.users.get(a.agentId);
          if (user && !user.disabled) {
            await routing.setAssignee(conv, user.id);
            done.push(user.name);
          } else done.push('agent (no longer active: skipped)');
        }
        return `assigned to ${done.join(' and ')}`;
      }
      case 'set_priority':
        await routing.setPriority(conv, a.priority);
        return `priority set to ${a.priority}`;
      case 'add_tags':
        await routing.addTags(conv, a.tags);
        return `tagged ${a.tags.join(', ')}`;
      case 'open_follow_up': {
        const at = now();
        const urgency = a.urgency ?? x.followUp.urgency;
        if (!(await routing.openFollowUp(conv, at + a.dueInHours * HOUR, urgency, at))) return 'follow-up already open or done';
        await deps.webhooks.emit({
          siteId: facts.siteId,
          event: 'follow_up.opened',
          conversationId: conv,
          eventKey: `follow_up.opened:${conv}:${at}`,
          data: { ruleId: rule.id, ruleName: rule.name, dueAt: at + a.dueInHours * HOUR, urgency, reason: x.followUp.reason, contact: x.followUp.contact },
        });
        opened.push({ siteId: facts.siteId, conversationId: conv });
        return `follow-up opened, due in ${a.dueInHours} h`;
      }
      case 'notify_webhook': {
        const endpoint = await store.respond.webhooks.get(a.endpointId);
        if (!endpoint || endpoint.siteId !== facts.siteId) return 'webhook endpoint no longer exists: skipped';
        await deps.webhooks.emit({
          siteId: facts.siteId,
          event: 'rule.fired',
          conversationId: conv,
          eventKey: `rule.fired:${rule.id}:${conv}`,
          endpointId: endpoint.id,
          data: firedData(rule, x, reasons, facts),
        });
        return `webhook ${endpoint.name} notified`;
      }
      case 'notify_email': {
        const base = deps.publicUrl?.() ?? null;
        await ports.sendEmail({
          siteId: facts.siteId,
          to: a.to,
          subject: `[Parley] ${rule.name}`,
          text: [
            `Rule "${rule.name}" fired for a conversation.`,
            `Why: ${reasons.join('; ')}`,
            x.summary ? `Summary: ${x.summary}` : '',
            x.followUp.reason ? `Follow-up: ${x.followUp.reason}${x.followUp.urgency ? ` (${x.followUp.urgency})` : ''}` : '',
            base ? `Open it: ${base}/admin/#/conversations/${encodeURIComponent(conv)}` : `Conversation: ${conv}`,
          ]
            .filter(Boolean)
            .join('\n'),
          idempotencyKey: `${key}:email`,
          conversationId: conv,
        });
        return `e-mail to ${a.to}`;
      }
      case 'send_reply': {
        const site = await store.sites.getById(facts.siteId);
        const name = site?.settings.persona.name || site?.name || 'Parley';
        await ports.sendReply({
          conversationId: conv,
          text: fillPlaceholders(a.text, { visitorName: facts.visitorName, agentName: name, siteName: site?.name ?? '' }),
          authorName: name,
          agentId: null,
          idempotencyKey: `${key}:reply`,
        });
        return 'automated reply sent';
      }
    }
  }

  function firedData(rule: Rule, x: Extraction, reasons: string[], facts: RoutingFacts) {
    return {
      ruleId: rule.id,
      ruleName: rule.name,
      reasons,
      summary: x.summary,
      npsCategory: x.npsCategory,
      sentiment: x.sentiment.label,
      followUp: x.followUp,
      visitor: { name: facts.visitorName, email: facts.visitorEmail, verified: facts.visitorVerified },
    };
  }

  return {
    /** the after-extraction step: every enabled rule of the site, in order; returns the rules that fired */
    async run(x: Extraction): Promise<string[]> {
      const facts = await store.respond.routing.facts(x.conversationId);
      if (!facts) return [];
      const hash = extractionHash(x);
      const fired: string[] = [];
      const opened: { siteId: string; conversationId: string }[] = [];
      for (const rule of await store.respond.rules.list(facts.siteId)) {
        if (!rule.enabled) continue;
        const { matched, reasons } = evaluateRule(rule, { extraction: x, facts });
        if (!matched) continue;
        // the firing and what it did commit together; a failure rolls both back and the job retries.
        // "fired before?" is asked inside it, so two runs of one extraction cannot both fire a rule.
        // A rule fires once per conversation: a re-analysis (the conversation reopened and ended
        // again, a newer extractor) fires only the rules its new result newly matches.
        const didFire = await store.tx(async () => {
          if (await store.respond.rules.firedOn(rule.id, facts.conversationId)) return false;
          const actions: string[] = [];
          for (const [i, a] of rule.actions.entries()) actions.push(await act(rule, a, i, x, facts, reasons, opened));
          await store.respond.rules.recordFiring({ ruleId: rule.id, ruleName: rule.name, conversationId: facts.conversationId, hash, reasons, actions }, now());
          await deps.webhooks.emit({
            siteId: facts.siteId,
            event: 'rule.fired',
            conversationId: facts.conversationId,
            eventKey: `rule.fired:${rule.id}:${facts.conversationId}`,
            data: { ...firedData(rule, x, reasons, facts), actions },
          });
          return true;
        });
        if (!didFire) continue;
        fired.push(rule.id);
        log.info({ ruleId: rule.id, conversationId: facts.conversationId, reasons }, 'rule fired');
      }
      for (const o of opened) deps.onFollowUpsChanged?.(o.siteId, o.conversationId);
      return fired;
    },
  };
}
export type RuleEngine = ReturnType<typeof createRuleEngine>;

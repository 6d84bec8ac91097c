import type { ForgetResult, RetentionResult } from '../../shared/admin-api.ts';
import { AppError } from '../../shared/errors.ts';
import type { Actor } from '../auth/accounts.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/index.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Right to be forgotten and per-site retention; both leave an audit trail. */
export function createPrivacyService(store: Store, log: Logger) {
  const { privacy, audit } = store.admin;

  return {
    forgetVisitor(visitorId: string, actor: Actor): ForgetResult {
      if (!privacy.visitorExists(visitorId)) throw new AppError('not_found', 'No such visitor.');
      const removed = privacy.forgetVisitor(visitorId);
      // the audit entry keeps counts only: what was deleted must not survive in the log
      audit.log({ actorId: actor.id, actor: actor.email, action: 'visitor.forget', target: visitorId, detail: removed });
      log.info({ visitorId, ...removed, actor: actor.id }, 'visitor forgotten');
      return { visitorId, ...removed };
    },
    /** delete transcripts older than each site's retention period */
    sweepRetention(now = Date.now()): RetentionResult {
      let sites = 0;
      let conversations = 0;
      for (const site of store.sites.list()) {
        const days = site.settings.retentionDays;
        if (days === null) continue;
        const cutoff = now - days * DAY_MS;
        let deleted = 0;
        for (let n = privacy.deleteConversationsBefore(site.id, cutoff); n > 0; n = privacy.deleteConversationsBefore(site.id, cutoff)) deleted += n;
        if (deleted > 0) {
          sites++;
          conversations += deleted;
          audit.log({ actorId: null, actor: 'system', action: 'retention.delete', target: site.id, detail: { conversations: deleted, cutoff, retentionDays: days } });
          log.info({ siteId: site.id, conversations: deleted, retentionDays: days }, 'retention sweep deleted transcripts');
        }
      }
      return { sites, conversations };
    },
  };
}
export type PrivacyService = ReturnType<typeof createPrivacyService>;

/**
 * Run the retention sweep (and `alsoRun`, e.g. purging expired sessions) soon after start and
 * then every `everyMs` (hourly by default); returns a stop function.
 */
export function startRetentionTimer(privacy: PrivacyService, log: Logger, everyMs = 60 * 60 * 1000, alsoRun: () => void = () => {}): () => void {
  const run = () => {
    try {
      privacy.sweepRetention();
      alsoRun();
    } catch (err) {
      log.error({ err }, 'retention sweep failed');
    }
  };
  const first = setTimeout(run, 5_000);
  const timer = setInterval(run, everyMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}

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
    async forgetVisitor(visitorId: string, actor: Actor): Promise<ForgetResult> {
      const removed = await store.tx(async () => {
        if (!(await privacy.visitorExists(visitorId))) throw new AppError('not_found', 'No such visitor.');
        const counts = await privacy.forgetVisitor(visitorId);
        // the audit entry keeps counts only: what was deleted must not survive in the log
        await audit.log({ actorId: actor.id, actor: actor.email, action: 'visitor.forget', target: visitorId, detail: counts });
        return counts;
      });
      log.info({ visitorId, ...removed, actor: actor.id }, 'visitor forgotten');
      return { visitorId, ...removed };
    },
    /** delete transcripts older than each site's retention period */
    async sweepRetention(now = Date.now()): Promise<RetentionResult> {
      let sites = 0;
      let conversations = 0;
      for (const site of await store.sites.list()) {
        const days = site.settings.retentionDays;
        if (days === null) continue;
        const cutoff = now - days * DAY_MS;
        let deleted = 0;
        // batch by batch, each its own short transaction, so chats go on between them
        for (let n = await privacy.deleteConversationsBefore(site.id, cutoff); n > 0; n = await privacy.deleteConversationsBefore(site.id, cutoff)) deleted += n;
        if (deleted > 0) {
          sites++;
          conversations += deleted;
          await audit.log({ actorId: null, actor: 'system', action: 'retention.delete', target: site.id, detail: { conversations: deleted, cutoff, retentionDays: days } });
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
export function startRetentionTimer(
  privacy: PrivacyService,
  log: Logger,
  everyMs = 60 * 60 * 1000,
  alsoRun: () => unknown = () => {},
): () => void {
  let running = false;
  const run = async () => {
    // a sweep still running (slow database) is not started twice
    if (running) return;
    running = true;
    try {
      await privacy.sweepRetention();
      await alsoRun();
    } catch (err) {
      log.error({ err }, 'retention sweep failed');
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void run(), 5_000);
  const timer = setInterval(() => void run(), everyMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}

import { createInsightsService, type InsightsService } from '../../insights/service.ts';
import { ConversationBus } from '../../conversation/events.ts';
import type { Logger } from '../../logger.ts';
import { createReach, type Reach } from '../../respond/reach.ts';
import { loadExampleFlows } from '../../seed.ts';
import type { Store } from '../../store/index.ts';
import { createAccountService } from '../../auth/accounts.ts';
import { createSessionService, DEFAULT_SESSION_POLICY, type SessionPolicy } from '../../auth/sessions.ts';
import { createPrivacyService } from '../../review/privacy.ts';
import { createRespondService, type RespondService } from '../../respond/service.ts';
import { createTranscriptService } from '../../review/transcripts.ts';
import { createIngest } from '../../ingest/compose.ts';
import { createCannedService } from '../../sites/canned.ts';
import { createFlowAdminService } from '../../sites/flows.ts';
import { createSiteAdminService } from '../../sites/sites.ts';
import type { LoginLimits } from './login-limits.ts';

export interface AdminOptions {
  /** the URL host pages load the widget from (for snippets); a function when known only after listen */
  publicUrl: string | (() => string);
  sessionPolicy?: SessionPolicy;
  /** failed logins (and refused setup attempts): per client IP, and a back-off per (IP, e-mail) pair */
  loginLimits?: LoginLimits;
  /** insights with the server's LLM and e-mail port (main.ts); offline and without e-mail when absent */
  insights?: InsightsService;
  /** API token grace after rotation, private feed URLs (config.ingest) */
  ingest?: { tokenGraceMs: number; allowPrivateFeedUrls: boolean };
  /** reaching customers (respond/reach.ts); tests that leave it out get one without SMTP or LLM */
  reach?: Reach;
  /** routing, teams, follow-ups, webhooks (main.ts passes the one its job worker uses) */
  respond?: RespondService;
}

/** The admin side's services over one store (the composition root calls this once). */
export function createAdminServices(store: Store, log: Logger, opts: AdminOptions) {
  const reach = opts.reach ?? createReach({ store, bus: new ConversationBus(), log, llm: null, mail: null });
  const transcripts = createTranscriptService(store);
  return {
    store,
    log,
    opts,
    accounts: createAccountService({ users: store.admin.users, sessions: store.admin.sessions, audit: store.admin.audit, tx: store.tx }),
    sessions: createSessionService({ sessions: store.admin.sessions, users: store.admin.users }, opts.sessionPolicy ?? DEFAULT_SESSION_POLICY),
    // a follow-up marked done may tell the customer (playbook "resolved")
    transcripts: {
      ...transcripts,
      async setFollowUp(...args: Parameters<typeof transcripts.setFollowUp>) {
        const c = await transcripts.setFollowUp(...args);
        await reach.followUpChanged(c);
        return c;
      },
    },
    reach,
    privacy: createPrivacyService(store, log),
    sites: createSiteAdminService(store, {
      publicUrl: opts.publicUrl,
      starterFlows: () => loadExampleFlows(),
      ...(opts.ingest ? { tokenGraceMs: opts.ingest.tokenGraceMs } : {}),
    }),
    flows: createFlowAdminService(store),
    canned: createCannedService(store),
    insights: opts.insights ?? createInsightsService({ store, llm: null, log, ports: null }),
    ingest: createIngest(store, log, opts.ingest ? { allowPrivateFeedUrls: opts.ingest.allowPrivateFeedUrls } : {}),
    respond: opts.respond ?? createRespondService({ store, log, ports: reach.ports }),
  };
}
export type AdminServices = ReturnType<typeof createAdminServices>;

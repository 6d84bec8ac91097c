/**
 * Composition of reaching customers (main.ts calls this once): the mailer, the ResponsePorts
 * implementation (e-mail outbox, replies into the widget), reply drafts, playbooks, and the
 * visitor-socket side of replies. Routing rules receive `ports`.
 */
import type { ConversationSummary } from '../../shared/admin-api.ts';
import type { ConversationBus } from '../conversation/events.ts';
import type { ConversationService } from '../conversation/service.ts';
import type { LlmClient } from '../llm/types.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/index.ts';
import { createResponsePorts } from './delivery.ts';
import { createDraftService } from './drafts.ts';
import { createMailer, type MailSettings } from './mailer.ts';
import { createPlaybooks } from './playbooks.ts';
import { createWidgetReplies } from './widget-replies.ts';

export interface ReachDeps {
  store: Store;
  bus: ConversationBus;
  log: Logger;
  llm: LlmClient | null;
  /** config.mail: null when SMTP is not set up */
  mail: MailSettings | null;
  /** starts the detractor check-in chats */
  conversations?: Pick<ConversationService, 'start'>;
  /** the job worker's wake, once it exists */
  wake?: () => void;
}

export function createReach(deps: ReachDeps) {
  const { store, bus, log, llm } = deps;
  const mailer = createMailer(deps.mail);
  const ports = createResponsePorts({ store, bus, mailer, log: log.child({ part: 'reach' }), ...(deps.wake ? { wake: deps.wake } : {}) });
  const playbooks = createPlaybooks({ store, ports, log, ...(deps.conversations ? { conversations: deps.conversations } : {}), ...(deps.wake ? { wake: deps.wake } : {}) });
  return {
    mailer,
    /** the ResponsePorts for routing rules and anything else that reaches customers */
    ports,
    drafts: createDraftService({ store, llm, log }),
    playbooks,
    widget: createWidgetReplies(store, playbooks),
    /** for startJobWorker({ handlers }) */
    jobHandlers: { ...ports.jobHandlers, ...playbooks.jobHandlers },
    /** for startJobWorker({ afterExtraction }) */
    afterExtraction: playbooks.afterExtraction,
    followUpChanged: (c: ConversationSummary): Promise<void> => playbooks.followUpChanged(c),
    close: () => mailer.close(),
  };
}
export type Reach = ReturnType<typeof createReach>;

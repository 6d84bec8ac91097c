/** Composition helper for main.ts: the job worker with the extract handler, started. */
import type { Extraction } from '../../shared/extraction.ts';
import { createExtractionService } from '../analysis/extraction-service.ts';
import type { LlmClient } from '../llm/types.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/index.ts';
import { createJobWorker, type JobHandler, type JobWorker } from './worker.ts';

export interface BackgroundWorkerOptions {
  store: Store;
  llm: LlmClient | null;
  log: Logger;
  /** handlers other parts register (webhook, follow_up, ...) beside `extract` */
  handlers?: Record<string, JobHandler>;
  /** steps run after each stored extraction (see ExtractionServiceOptions.afterSave) */
  afterExtraction?: ReadonlyArray<(extraction: Extraction) => void | Promise<void>>;
  concurrency?: number;
}

export function startJobWorker(opts: BackgroundWorkerOptions): JobWorker {
  const extraction = createExtractionService({
    extractions: opts.store.extractions,
    llm: opts.llm,
    log: opts.log,
    ...(opts.afterExtraction ? { afterSave: opts.afterExtraction } : {}),
  });
  const worker = createJobWorker({
    jobs: opts.store.jobs,
    handlers: { extract: (payload) => extraction.handleJob(payload), ...opts.handlers },
    // Offline extraction is CPU-bound: one at a time keeps chats responsive; LLM calls overlap.
    concurrency: opts.concurrency ?? (opts.llm ? 4 : 1),
    log: opts.log.child({ part: 'jobs' }),
  });
  worker.start();
  return worker;
}

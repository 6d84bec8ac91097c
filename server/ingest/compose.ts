/**
 * The ingest part over one store: items (all channels), file imports, feeds, the inbound webhook,
 * and the job handlers main.ts hands to the worker. `setWake` connects the worker once it exists,
 * so new items are extracted and new jobs run at once rather than at the next poll.
 */
import type { JobHandler } from '../jobs/worker.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/index.ts';
import { createFeedService, FEED_JOB } from './feeds.ts';
import { createImportService, IMPORT_JOB } from './file-import.ts';
import { createInboundService } from './inbound.ts';
import { createIngestService } from './items.ts';

export interface IngestOptions {
  /** feed URLs may point at private/loopback addresses (PARLEY_FEEDS_ALLOW_PRIVATE) */
  allowPrivateFeedUrls?: boolean;
  feedTimeoutMs?: number;
}

export function createIngest(store: Store, log: Logger, opts: IngestOptions = {}) {
  let wakeFn: () => void = () => {};
  const wake = () => wakeFn();
  const items = createIngestService({ feedback: store.feedback, onCreated: () => setImmediate(wake) });
  const imports = createImportService({ store, items, log: log.child({ part: 'ingest' }), wake });
  const feeds = createFeedService({
    store,
    items,
    log: log.child({ part: 'feeds' }),
    wake,
    ...(opts.allowPrivateFeedUrls !== undefined ? { allowPrivate: opts.allowPrivateFeedUrls } : {}),
    ...(opts.feedTimeoutMs !== undefined ? { timeoutMs: opts.feedTimeoutMs } : {}),
  });
  const inbound = createInboundService({ sites: store.sites, ingest: store.ingest, items });
  const handlers: Record<string, JobHandler> = {
    [IMPORT_JOB]: (payload) => imports.handleJob(payload),
    [FEED_JOB]: (payload) => feeds.handleJob(payload),
  };
  return {
    items,
    imports,
    feeds,
    inbound,
    handlers,
    setWake(fn: () => void): void {
      wakeFn = fn;
    },
  };
}
export type Ingest = ReturnType<typeof createIngest>;

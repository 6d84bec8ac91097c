/** Insight test fixtures: a store with one site in a time zone, and a service over it. */
import type { LlmClient } from '../llm/types.ts';
import { createLogger } from '../logger.ts';
import type { ResponsePorts } from '../respond/ports.ts';
import type { EmitInput } from '../respond/webhooks.ts';
import { openDb, type Db } from '../store/db.ts';
import { createStore, type Store } from '../store/index.ts';
import { addPastConversation, type PastConversation } from './history.ts';
import { createInsightsService, type InsightsService } from './service.ts';

export interface InsightKit {
  db: Db;
  store: Store;
  siteId: string;
  insights: InsightsService;
  add(c: Partial<PastConversation> & { startedAt: number }): Promise<string>;
}

export async function insightKit(
  opts: { timeZone?: string; now?: number; llm?: LlmClient | null; ports?: ResponsePorts | null | ((store: Store) => ResponsePorts); webhooks?: (store: Store) => { emit(e: EmitInput): number | Promise<number> } } = {},
): Promise<InsightKit> {
  const db = openDb(':memory:');
  const store = createStore(db);
  const site = await store.sites.create({
    key: 'acme',
    name: 'Acme',
    allowedOrigins: ['https://acme.test'],
    identitySecret: 'secret',
    settings: { timeZone: opts.timeZone ?? 'UTC' },
  });
  const now = opts.now ?? Date.now();
  const insights = createInsightsService({
    store,
    llm: opts.llm ?? null,
    log: createLogger('silent'),
    ports: typeof opts.ports === 'function' ? opts.ports(store) : (opts.ports ?? null),
    webhooks: opts.webhooks ? opts.webhooks(store) : null,
    now: () => now,
  });
  return {
    db,
    store,
    siteId: site.id,
    insights,
    add: (c) => addPastConversation(store, insights, site.id, { flowId: 'nps', visitor: ['It was all fine, thanks for asking.'], sentiment: 0, ...c }),
  };
}

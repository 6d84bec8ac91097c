/** Test helper: a conversation service over an in-memory store with one site and the fake engine. */
import { openDb, type Db } from '../store/db.ts';
import { createStore } from '../store/index.ts';
import { createLogger } from '../logger.ts';
import { ConversationBus, type ConversationBusEvents } from './events.ts';
import { createFakeEngine, TEST_FLOW, type FakeEngineOptions } from './fake-engine.ts';
import { createConversationService } from './service.ts';

export const TEST_SECRET = 'test-identity-secret';

export async function serviceKit(opts: FakeEngineOptions & { now?: () => number; turnTimeoutMs?: number; openingWaitMs?: number } = {}) {
  const db: Db = openDb(':memory:');
  const store = createStore(db);
  const site = await store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: ['https://acme.test'], identitySecret: TEST_SECRET });
  await store.flows.upsert(site.id, TEST_FLOW);
  const bus = new ConversationBus();
  const fake = createFakeEngine(opts);
  const service = createConversationService({ store, engine: fake.engine, bus, log: createLogger('silent'),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.turnTimeoutMs ? { turnTimeoutMs: opts.turnTimeoutMs } : {}),
    ...(opts.openingWaitMs ? { openingWaitMs: opts.openingWaitMs } : {}),
  });
  const events: { name: keyof ConversationBusEvents; conversationId: string; payload: unknown }[] = [];
  for (const name of ['message:created', 'conversation:ended', 'conversation:updated', 'typing:changed', 'handoff:requested'] as const) {
    bus.on(name, (e: { conversationId: string }) => events.push({ name, conversationId: e.conversationId, payload: e }));
  }
  const newVisitor = async () => (await service.hello(site, undefined, {})).visitor;
  const extractJobs = (conversationId: string) =>
    db.prepare<[string], number>(`SELECT count(*) FROM jobs WHERE kind = 'extract' AND json_extract(payload, '$.conversationId') = ?`).pluck().get(conversationId);
  // fault injection (a trigger refusing a row) in this kit's database
  const exec = (sqlText: string): void => void db.exec(sqlText);
  return { exec, store, site, bus, service, fake, events, newVisitor, extractJobs };
}

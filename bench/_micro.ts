// temporary: in-process cost of the service path (no sockets)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConversationService } from '../server/conversation/service.ts';
import { ConversationBus } from '../server/conversation/events.ts';
import { createEngine } from '../server/conversation/engine.ts';
import { createKnowledgeBase } from '../server/conversation/knowledge-base.ts';
import { createLogger } from '../server/logger.ts';
import { openDb } from '../server/store/db.ts';
import { createStore } from '../server/store/index.ts';
import { seedDemo } from '../server/seed.ts';
import type { Engine, TurnInput, TurnResult } from '../server/conversation/engine-types.ts';

const silent = (input: TurnInput): Promise<TurnResult> => Promise.resolve({ replies: [], state: input.state, answers: [], completed: false, needsHuman: false });
const mode = process.argv[2] ?? 'silent';
const db = openDb(join(mkdtempSync(join(tmpdir(), 'perfw-')), 'x.db'));
if (process.env.NOFTS) db.exec('DROP TRIGGER messages_fts_insert');
const store = createStore(db);
const log = createLogger('silent');
seedDemo(store, log);
const kb = createKnowledgeBase((siteId) => store.kb.list(siteId));
const engine: Engine = mode === 'silent' ? { start: silent, reply: silent } : createEngine({ llm: null, kb, log });
const bus = new ConversationBus();
bus.on('message:created', () => undefined);
const service = createConversationService({ store, engine, bus, log });
const site = store.sites.getByKey('demo')!;
const N = 50;
const convs: { v: any; c: string }[] = [];
for (let i = 0; i < N; i++) {
  const { visitor } = service.hello(site, undefined, {});
  const r = await service.start(site, visitor, { flowId: 'support', restart: true });
  convs.push({ v: visitor, c: r.conversation.id });
}
async function round(k: number) {
  await Promise.all(convs.map((x, i) => service.sendVisitorMessage(site, x.v, { conversationId: x.c, clientId: `m-${k}-${i}-xxxx`, text: 'How do I reset my password?' })));
  await service.idle();
}
for (let k = 0; k < 20; k++) await round(k);
const rounds = Number(process.env.ROUNDS ?? 100);
const c0 = process.cpuUsage();
for (let k = 20; k < 20 + rounds; k++) await round(k);
const c = process.cpuUsage(c0);
console.log(mode, 'us/msg', ((c.user + c.system) / (rounds * N)).toFixed(1));

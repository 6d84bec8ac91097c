/**
 * All stores over one database. Other parts add their store here, one line each.
 */
import type { Db } from './db.ts';
import { adminStores } from './admin.ts';
import { answersStore } from './answers.ts';
import { conversationsStore } from './conversations.ts';
import { extractionsStore } from './extractions.ts';
import { flowsStore } from './flows.ts';
import { jobsStore } from './jobs.ts';
import { kbStore } from './kb.ts';
import { messagesStore } from './messages.ts';
import { sitesStore } from './sites.ts';
import { visitorsStore } from './visitors.ts';

export function createStore(db: Db) {
  return {
    /** the database answers (health check) */
    ping(): boolean {
      return db.prepare('SELECT 1').pluck().get() === 1;
    },
    /** run `fn` in one transaction (nested calls become savepoints) */
    tx<T>(fn: () => T): T {
      return db.transaction(fn)();
    },
    sites: sitesStore(db),
    visitors: visitorsStore(db),
    conversations: conversationsStore(db),
    messages: messagesStore(db),
    answers: answersStore(db),
    flows: flowsStore(db),
    kb: kbStore(db),
    jobs: jobsStore(db),
    extractions: extractionsStore(db),
    admin: adminStores(db),
  };
}
export type Store = ReturnType<typeof createStore>;

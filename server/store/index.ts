/**
 * All stores over one database. Other parts add their store here, one line each.
 */
import { rolledBackBySqlite } from './faults.ts';
import type { Db } from './db.ts';
import { adminStores } from './admin.ts';
import { answersStore } from './answers.ts';
import { conversationsStore } from './conversations.ts';
import { emailOutboxStore } from './email-outbox.ts';
import { extractionsStore } from './extractions.ts';
import { feedbackStore } from './feedback.ts';
import { ingestStore } from './ingest.ts';
import { flowsStore } from './flows.ts';
import { insightFactsStore } from './insight-facts.ts';
import { insightReportsStore } from './insight-reports.ts';
import { insightsStore } from './insights.ts';
import { jobsStore } from './jobs.ts';
import { kbStore } from './kb.ts';
import { messagesStore } from './messages.ts';
import { playbooksStore } from './playbooks.ts';
import { respondStores } from './respond.ts';
import { sitesStore } from './sites.ts';
import { visitorsStore } from './visitors.ts';
import { visitorRepliesStore } from './visitor-replies.ts';

export function createStore(db: Db) {
  // one transaction wrapper for every tx() call: building a new one per call was measurable per message
  const inTx = db.transaction((run: () => void): void => run());
  const messages = messagesStore(db);
  return {
    /** the database answers (health check) */
    ping(): boolean {
      return db.prepare('SELECT 1').pluck().get() === 1;
    },
    /** run `fn` in one transaction (nested calls become savepoints) */
    tx<T>(fn: () => T): T {
      let result!: T;
      // the outermost tx indexes the messages it appended in one go before committing
      const outermost = !db.inTransaction;
      if (outermost) messages.beginBatch();
      try {
        inTx(() => {
          result = fn();
          // as better-sqlite3 itself refuses: the transaction would commit before the work finished
          if (result instanceof Promise) throw new TypeError('Transaction function cannot return a promise');
          if (outermost) messages.flushIndex();
          // a caught error inside may have made SQLite roll everything back already
          if (!db.inTransaction) throw rolledBackBySqlite();
        });
      } finally {
        if (outermost) messages.endBatch();
      }
      return result;
    },
    sites: sitesStore(db),
    visitors: visitorsStore(db),
    conversations: conversationsStore(db),
    messages,
    answers: answersStore(db),
    flows: flowsStore(db),
    kb: kbStore(db),
    jobs: jobsStore(db),
    extractions: extractionsStore(db),
    admin: adminStores(db),
    insights: { facts: insightFactsStore(db), queries: insightsStore(db), reports: insightReportsStore(db) },
    feedback: feedbackStore(db),
    ingest: ingestStore(db),
    // reaching customers (respond/): e-mail outbox, replies into the widget, playbooks
    emails: emailOutboxStore(db),
    replies: visitorRepliesStore(db),
    playbooks: playbooksStore(db),
    respond: respondStores(db),
  };
}
export type Store = ReturnType<typeof createStore>;

/**
 * All stores over one database. Other parts add their store here, one line each.
 */
import { asyncify, createTxGate } from './async.ts';
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

/** the stores over one SQLite connection, synchronous (wrapped by createStore) */
function syncStores(db: Db) {
  return {
    sites: sitesStore(db),
    visitors: visitorsStore(db),
    conversations: conversationsStore(db),
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

/**
 * All stores over one SQLite database, behind the asynchronous store interface (see async.ts).
 * Transactions may await store calls; the outermost one indexes the messages it appended in one
 * go before committing.
 */
export function createStore(db: Db) {
  const messages = messagesStore(db);
  const gate = createTxGate({
    begin: () => {
      messages.beginBatch();
      db.exec('BEGIN');
    },
    beforeCommit: () => messages.flushIndex(),
    commit: () => db.exec('COMMIT'),
    rollback: () => db.exec('ROLLBACK'),
    inTransaction: () => db.inTransaction,
    finished: () => messages.endBatch(),
    savepoint: (name) => db.exec(`SAVEPOINT ${name}`),
    release: (name) => db.exec(`RELEASE ${name}`),
    rollbackTo: (name) => db.exec(`ROLLBACK TO ${name}`),
  });
  const { beginBatch: _b, flushIndex: _f, endBatch: _e, ...messageCalls } = messages;
  return {
    engine: 'sqlite' as const,
    /** the database answers (health check) */
    ping: (): Promise<boolean> => gate.call(() => db.prepare('SELECT 1').pluck().get() === 1),
    /** run `fn` in one transaction (nested calls become savepoints); await only store calls inside */
    tx: <T>(fn: () => Promise<T> | T): Promise<T> => gate.tx(fn),
    /** whether the caller runs inside an open transaction */
    inTx: (): boolean => gate.inside(),
    messages: asyncify(messageCalls, gate),
    ...asyncify(syncStores(db), gate),
  };
}
export type Store = ReturnType<typeof createStore>;

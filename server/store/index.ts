/**
 * All stores over one database. Other parts add their store here, one line each.
 */
import type { InvalidationBus } from '../cluster/invalidation.ts';
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
import type { Sql } from './sql.ts';
import { sqliteSql } from './sqlite-sql.ts';
import { visitorsStore } from './visitors.ts';
import { visitorRepliesStore } from './visitor-replies.ts';

const isSql = (x: Db | Sql): x is Sql => 'dialect' in x;

export interface StoreOptions {
  /**
   * How instances sharing the database tell each other to drop cached rows (sites, origins,
   * flows, knowledge base). Writes publish after their commit; entries another instance changed
   * are dropped when its message arrives. Needed as soon as several instances share a
   * PostgreSQL database; without it a PostgreSQL store caches no knowledge base.
   */
  invalidation?: InvalidationBus;
}

/**
 * All stores over one database: a better-sqlite3 `Db` (wrapped in the SQLite runner) or any
 * `Sql` runner. Transactions may await store calls (nested ones become savepoints); inside one,
 * await only store calls.
 */
export function createStore(dbOrSql: Db | Sql, options: StoreOptions = {}) {
  const bus = options.invalidation ?? null;
  const sql = isSql(dbOrSql) ? dbOrSql : sqliteSql(dbOrSql);
  const flows = flowsStore(sql, bus);
  const kb = kbStore(sql, bus);
  // a deleted site's flows and knowledge base go with it (FK cascade), from every cache too
  const siteRemoved = (siteId: string) => {
    flows.siteRemoved(siteId);
    kb.siteRemoved(siteId);
  };
  return {
    engine: sql.dialect,
    /** the database answers (health check) */
    ping: async (): Promise<boolean> => (await sql.get<{ one: number }>('SELECT 1 AS one'))?.one === 1,
    /** run `fn` in one transaction (nested calls become savepoints); await only store calls inside */
    tx: <T>(fn: () => Promise<T> | T): Promise<T> => sql.tx(fn),
    /** whether the caller runs inside an open transaction */
    inTx: (): boolean => sql.inTx(),
    messages: messagesStore(sql),
    sites: sitesStore(sql, bus, siteRemoved),
    visitors: visitorsStore(sql),
    conversations: conversationsStore(sql),
    answers: answersStore(sql),
    flows,
    kb,
    jobs: jobsStore(sql),
    extractions: extractionsStore(sql),
    admin: adminStores(sql),
    insights: { facts: insightFactsStore(sql), queries: insightsStore(sql), reports: insightReportsStore(sql) },
    feedback: feedbackStore(sql),
    ingest: ingestStore(sql),
    // reaching customers (respond/): e-mail outbox, replies into the widget, playbooks
    emails: emailOutboxStore(sql),
    replies: visitorRepliesStore(sql),
    playbooks: playbooksStore(sql),
    respond: respondStores(sql),
  };
}
export type Store = ReturnType<typeof createStore>;

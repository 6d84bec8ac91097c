/** Respond's stores (teams, rules, routing, webhooks), composed into createStore(db) as `store.respond`. */
import type { Asyncify } from './async.ts';
import type { Db } from './db.ts';
import { routingStore } from './routing.ts';
import { rulesStore } from './rules.ts';
import { teamsStore } from './teams.ts';
import { webhooksStore } from './webhooks.ts';

export function respondStores(db: Db) {
  return { teams: teamsStore(db), rules: rulesStore(db), routing: routingStore(db), webhooks: webhooksStore(db) };
}
export type RespondStores = Asyncify<ReturnType<typeof respondStores>>;

/** Respond's stores (teams, rules, routing, webhooks), composed into createStore(sql) as `store.respond`. */
import type { Sql } from './sql.ts';
import { routingStore } from './routing.ts';
import { rulesStore } from './rules.ts';
import { teamsStore } from './teams.ts';
import { webhooksStore } from './webhooks.ts';

export function respondStores(sql: Sql) {
  return { teams: teamsStore(sql), rules: rulesStore(sql), routing: routingStore(sql), webhooks: webhooksStore(sql) };
}
export type RespondStores = ReturnType<typeof respondStores>;

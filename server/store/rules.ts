/** Routing rules per site (ordered) and the record of each rule that fired for an extraction. */
import { RuleInput, type Rule, type RuleFiring } from '../../shared/rules.ts';
import type { Sql } from './sql.ts';
import { uuidv7 } from './ids.ts';

interface RuleRow {
  id: string;
  site_id: string;
  position: number;
  definition: string;
  created_at: number;
  updated_at: number;
}

interface FiringRow {
  id: number;
  rule_id: string;
  rule_name: string;
  conversation_id: string;
  reasons: string;
  actions: string;
  fired_at: number;
}

function toRule(r: RuleRow): Rule | null {
  let parsed;
  try {
    parsed = RuleInput.safeParse(JSON.parse(r.definition));
  } catch {
    return null;
  }
  // a stored rule that no longer validates is skipped (and shown as missing) rather than crashing routing
  if (!parsed.success) return null;
  return { ...parsed.data, id: r.id, siteId: r.site_id, position: r.position, createdAt: r.created_at, updatedAt: r.updated_at };
}

const strings = (json: string): string[] => {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

const toFiring = (r: FiringRow): RuleFiring => ({
  id: r.id,
  ruleId: r.rule_id,
  ruleName: r.rule_name,
  conversationId: r.conversation_id,
  reasons: strings(r.reasons),
  actions: strings(r.actions),
  firedAt: r.fired_at,
});

export function rulesStore(sql: Sql) {
  const ofSite = (siteId: string) => sql.all<RuleRow>('SELECT * FROM rules WHERE site_id = ? ORDER BY position, created_at, id', [siteId]);
  const byId = (id: string) => sql.get<RuleRow>('SELECT * FROM rules WHERE id = ?', [id]);

  return {
    list: async (siteId: string): Promise<Rule[]> => (await ofSite(siteId)).map(toRule).filter((r): r is Rule => r !== null),
    async get(id: string): Promise<Rule | null> {
      const r = await byId(id);
      return r ? toRule(r) : null;
    },
    async create(siteId: string, input: RuleInput, now = Date.now()): Promise<Rule> {
      const id = uuidv7(now);
      const definition = JSON.stringify(RuleInput.parse(input));
      return sql.tx(async () => {
        const next = await sql.get<{ p: number }>('SELECT COALESCE(max(position), -1) + 1 AS p FROM rules WHERE site_id = ?', [siteId]);
        await sql.run('INSERT INTO rules (id, site_id, position, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [
          id,
          siteId,
          next?.p ?? 0,
          definition,
          now,
          now,
        ]);
        return toRule((await byId(id))!)!;
      });
    },
    async update(id: string, input: RuleInput, now = Date.now()): Promise<Rule | null> {
      const r = await sql.run('UPDATE rules SET definition = ?, updated_at = ? WHERE id = ?', [JSON.stringify(RuleInput.parse(input)), now, id]);
      if (r.changes === 0) return null;
      return toRule((await byId(id))!);
    },
    remove: async (id: string): Promise<boolean> => (await sql.run('DELETE FROM rules WHERE id = ?', [id])).changes > 0,
    /** swap a rule with its neighbour; positions are renumbered 0..n-1 */
    move: (id: string, direction: 'up' | 'down'): Promise<boolean> =>
      sql.tx(async () => {
        const row = await byId(id);
        if (!row) return false;
        const ids = (await ofSite(row.site_id)).map((r) => r.id);
        const i = ids.indexOf(id);
        const j = direction === 'up' ? i - 1 : i + 1;
        if (j >= 0 && j < ids.length) [ids[i], ids[j]] = [ids[j]!, ids[i]!];
        for (const [pos, rid] of ids.entries()) await sql.run('UPDATE rules SET position = ? WHERE id = ?', [pos, rid]);
        return true;
      }),
    /** whether the rule fired for the conversation, on any analysis of it (a rule fires once per conversation) */
    firedOn: async (ruleId: string, conversationId: string): Promise<boolean> =>
      (await sql.get<{ n: number }>('SELECT 1 AS n FROM rule_firings WHERE rule_id = ? AND conversation_id = ? LIMIT 1', [ruleId, conversationId])) !== undefined,
    hasFired: async (ruleId: string, conversationId: string, hash: string): Promise<boolean> =>
      ((
        await sql.get<{ n: number }>('SELECT count(*) AS n FROM rule_firings WHERE rule_id = ? AND conversation_id = ? AND extraction_hash = ?', [
          ruleId,
          conversationId,
          hash,
        ])
      )?.n ?? 0) > 0,
    /** true when this is the first firing for (rule, conversation, extraction hash) */
    async recordFiring(
      f: { ruleId: string; ruleName: string; conversationId: string; hash: string; reasons: string[]; actions: string[] },
      now = Date.now(),
    ): Promise<boolean> {
      const r = await sql.run(
        `INSERT INTO rule_firings (rule_id, rule_name, conversation_id, extraction_hash, reasons, actions, fired_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (rule_id, conversation_id, extraction_hash) DO NOTHING`,
        [f.ruleId, f.ruleName, f.conversationId, f.hash, JSON.stringify(f.reasons), JSON.stringify(f.actions), now],
      );
      return r.changes > 0;
    },
    firings: async (conversationId: string): Promise<RuleFiring[]> =>
      (await sql.all<FiringRow>('SELECT * FROM rule_firings WHERE conversation_id = ? ORDER BY id', [conversationId])).map(toFiring),
  };
}
export type RulesStore = ReturnType<typeof rulesStore>;

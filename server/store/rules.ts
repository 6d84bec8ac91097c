/** Routing rules per site (ordered) and the record of each rule that fired for an extraction. */
import type { Asyncify } from './async.ts';
import { RuleInput, type Rule, type RuleFiring } from '../../shared/rules.ts';
import type { Db } from './db.ts';
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

export function rulesStore(db: Db) {
  const ofSite = db.prepare<[string], RuleRow>('SELECT * FROM rules WHERE site_id = ? ORDER BY position, created_at');
  const byId = db.prepare<[string], RuleRow>('SELECT * FROM rules WHERE id = ?');
  const nextPos = db.prepare<[string], number>('SELECT coalesce(max(position), -1) + 1 FROM rules WHERE site_id = ?').pluck();
  const insert = db.prepare('INSERT INTO rules (id, site_id, position, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
  const update = db.prepare('UPDATE rules SET definition = ?, updated_at = ? WHERE id = ?');
  const setPos = db.prepare('UPDATE rules SET position = ? WHERE id = ?');
  const remove = db.prepare('DELETE FROM rules WHERE id = ?');
  const hasFired = db.prepare<[string, string, string], number>(
    'SELECT count(*) FROM rule_firings WHERE rule_id = ? AND conversation_id = ? AND extraction_hash = ?',
  ).pluck();
  const fire = db.prepare(
    `INSERT INTO rule_firings (rule_id, rule_name, conversation_id, extraction_hash, reasons, actions, fired_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (rule_id, conversation_id, extraction_hash) DO NOTHING`,
  );
  const firings = db.prepare<[string], FiringRow>('SELECT * FROM rule_firings WHERE conversation_id = ? ORDER BY id');

  const moveTx = db.transaction((id: string, direction: 'up' | 'down'): boolean => {
    const row = byId.get(id);
    if (!row) return false;
    const ids = ofSite.all(row.site_id).map((r) => r.id);
    const i = ids.indexOf(id);
    const j = direction === 'up' ? i - 1 : i + 1;
    if (j >= 0 && j < ids.length) [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    ids.forEach((rid, pos) => setPos.run(pos, rid));
    return true;
  });

  return {
    list: (siteId: string): Rule[] => ofSite.all(siteId).map(toRule).filter((r): r is Rule => r !== null),
    get(id: string): Rule | null {
      const r = byId.get(id);
      return r ? toRule(r) : null;
    },
    create(siteId: string, input: RuleInput, now = Date.now()): Rule {
      const id = uuidv7(now);
      insert.run(id, siteId, nextPos.get(siteId) ?? 0, JSON.stringify(RuleInput.parse(input)), now, now);
      return toRule(byId.get(id)!)!;
    },
    update(id: string, input: RuleInput, now = Date.now()): Rule | null {
      if (update.run(JSON.stringify(RuleInput.parse(input)), now, id).changes === 0) return null;
      return toRule(byId.get(id)!);
    },
    remove: (id: string): boolean => remove.run(id).changes > 0,
    /** swap a rule with its neighbour; positions are renumbered 0..n-1 */
    move: (id: string, direction: 'up' | 'down'): boolean => moveTx(id, direction),
    hasFired: (ruleId: string, conversationId: string, hash: string): boolean => (hasFired.get(ruleId, conversationId, hash) ?? 0) > 0,
    /** true when this is the first firing for (rule, conversation, extraction hash) */
    recordFiring(f: { ruleId: string; ruleName: string; conversationId: string; hash: string; reasons: string[]; actions: string[] }, now = Date.now()): boolean {
      return fire.run(f.ruleId, f.ruleName, f.conversationId, f.hash, JSON.stringify(f.reasons), JSON.stringify(f.actions), now).changes > 0;
    },
    firings: (conversationId: string): RuleFiring[] => firings.all(conversationId).map(toFiring),
  };
}
export type RulesStore = Asyncify<ReturnType<typeof rulesStore>>;

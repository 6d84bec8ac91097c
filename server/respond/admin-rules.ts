/** The admin side of rules and teams: CRUD with references checked, errors named by field. */
import { AppError } from '../../shared/errors.ts';
import { TeamInput, type Team } from '../../shared/respond.ts';
import { RuleInput, type Rule } from '../../shared/rules.ts';
import type { Store } from '../store/index.ts';

type Issue = { path: string; message: string };

function invalid(issues: Issue[]): never {
  const first = issues[0]!;
  throw new AppError('invalid_payload', `${first.path}: ${first.message}`, { issues });
}

export function createRuleAdmin(store: Store) {
  const { rules, teams, webhooks } = store.respond;

  /** actions that name a team, an agent or an endpoint must name one that exists (on this site) */
  function checkRefs(siteId: string, input: RuleInput): void {
    const issues: Issue[] = [];
    input.actions.forEach((a, i) => {
      if (a.type === 'assign') {
        if (a.teamId && !teams.get(a.teamId)) issues.push({ path: `actions.${i}.teamId`, message: 'no such team' });
        if (a.agentId) {
          const u = store.admin.users.get(a.agentId);
          if (!u || u.disabled) issues.push({ path: `actions.${i}.agentId`, message: 'no such active user' });
        }
      }
      if (a.type === 'notify_webhook' && webhooks.get(a.endpointId)?.siteId !== siteId) issues.push({ path: `actions.${i}.endpointId`, message: 'no such webhook endpoint on this site' });
    });
    if (issues.length) invalid(issues);
  }

  const mustSite = (siteId: string) => {
    if (!store.sites.getById(siteId)) throw new AppError('not_found', 'No such site.');
  };
  const mustRule = (id: string): Rule => {
    const r = rules.get(id);
    if (!r) throw new AppError('not_found', 'No such rule.');
    return r;
  };

  return {
    list(siteId: string): Rule[] {
      mustSite(siteId);
      return rules.list(siteId);
    },
    get: mustRule,
    create(siteId: string, input: RuleInput): Rule {
      mustSite(siteId);
      checkRefs(siteId, input);
      return rules.create(siteId, input);
    },
    update(id: string, input: RuleInput): Rule {
      const cur = mustRule(id);
      checkRefs(cur.siteId, input);
      return rules.update(id, input)!;
    },
    remove(id: string): void {
      if (!rules.remove(id)) throw new AppError('not_found', 'No such rule.');
    },
    move(id: string, direction: 'up' | 'down'): Rule[] {
      const cur = mustRule(id);
      rules.move(id, direction);
      return rules.list(cur.siteId);
    },
  };
}

export function createTeamAdmin(store: Store) {
  const { teams } = store.respond;
  function check(input: TeamInput, selfId: string | null): { name: string; memberIds: string[]; siteIds: string[] } {
    const t = TeamInput.parse(input);
    const issues: Issue[] = [];
    t.memberIds.forEach((u, i) => {
      if (!store.admin.users.get(u)) issues.push({ path: `memberIds.${i}`, message: 'no such user' });
    });
    t.siteIds.forEach((s, i) => {
      if (!store.sites.getById(s)) issues.push({ path: `siteIds.${i}`, message: 'no such site' });
    });
    if (teams.list().some((x) => x.name.toLowerCase() === t.name.toLowerCase() && x.id !== selfId)) issues.push({ path: 'name', message: 'a team with this name exists' });
    if (issues.length) invalid(issues);
    return { name: t.name, memberIds: [...new Set(t.memberIds)], siteIds: [...new Set(t.siteIds)] };
  }
  return {
    list: (): Team[] => teams.list(),
    create: (input: TeamInput): Team => teams.create(check(input, null)),
    update(id: string, input: TeamInput): Team {
      const t = teams.update(id, check(input, id));
      if (!t) throw new AppError('not_found', 'No such team.');
      return t;
    },
    remove(id: string): void {
      if (!teams.remove(id)) throw new AppError('not_found', 'No such team.');
    },
  };
}

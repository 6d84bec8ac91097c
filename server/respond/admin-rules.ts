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
  async function checkRefs(siteId: string, input: RuleInput): Promise<void> {
    const issues: Issue[] = [];
    for (const [i, a] of input.actions.entries()) {
      if (a.type === 'assign') {
        if (a.teamId && !(await teams.get(a.teamId))) issues.push({ path: `actions.${i}.teamId`, message: 'no such team' });
        if (a.agentId) {
          const u = await store.admin.users.get(a.agentId);
          if (!u || u.disabled) issues.push({ path: `actions.${i}.agentId`, message: 'no such active user' });
        }
      }
      if (a.type === 'notify_webhook' && (await webhooks.get(a.endpointId))?.siteId !== siteId) issues.push({ path: `actions.${i}.endpointId`, message: 'no such webhook endpoint on this site' });
    }
    if (issues.length) invalid(issues);
  }

  const mustSite = async (siteId: string): Promise<void> => {
    if (!(await store.sites.getById(siteId))) throw new AppError('not_found', 'No such site.');
  };
  const mustRule = async (id: string): Promise<Rule> => {
    const r = await rules.get(id);
    if (!r) throw new AppError('not_found', 'No such rule.');
    return r;
  };

  return {
    async list(siteId: string): Promise<Rule[]> {
      await mustSite(siteId);
      return rules.list(siteId);
    },
    get: mustRule,
    create(siteId: string, input: RuleInput): Promise<Rule> {
      return store.tx(async () => {
        await mustSite(siteId);
        await checkRefs(siteId, input);
        return rules.create(siteId, input);
      });
    },
    update(id: string, input: RuleInput): Promise<Rule> {
      return store.tx(async () => {
        const cur = await mustRule(id);
        await checkRefs(cur.siteId, input);
        return (await rules.update(id, input))!;
      });
    },
    async remove(id: string): Promise<void> {
      if (!(await rules.remove(id))) throw new AppError('not_found', 'No such rule.');
    },
    move(id: string, direction: 'up' | 'down'): Promise<Rule[]> {
      return store.tx(async () => {
        const cur = await mustRule(id);
        await rules.move(id, direction);
        return rules.list(cur.siteId);
      });
    },
  };
}

export function createTeamAdmin(store: Store) {
  const { teams } = store.respond;
  async function check(input: TeamInput, selfId: string | null): Promise<{ name: string; memberIds: string[]; siteIds: string[] }> {
    const t = TeamInput.parse(input);
    const issues: Issue[] = [];
    for (const [i, u] of t.memberIds.entries()) {
      if (!(await store.admin.users.get(u))) issues.push({ path: `memberIds.${i}`, message: 'no such user' });
    }
    for (const [i, s] of t.siteIds.entries()) {
      if (!(await store.sites.getById(s))) issues.push({ path: `siteIds.${i}`, message: 'no such site' });
    }
    if ((await teams.list()).some((x) => x.name.toLowerCase() === t.name.toLowerCase() && x.id !== selfId)) issues.push({ path: 'name', message: 'a team with this name exists' });
    if (issues.length) invalid(issues);
    return { name: t.name, memberIds: [...new Set(t.memberIds)], siteIds: [...new Set(t.siteIds)] };
  }
  return {
    list: (): Promise<Team[]> => teams.list(),
    // the checks and the write in one transaction: two admins cannot both take a free name
    create: (input: TeamInput): Promise<Team> => store.tx(async () => teams.create(await check(input, null))),
    async update(id: string, input: TeamInput): Promise<Team> {
      const t = await store.tx(async () => teams.update(id, await check(input, id)));
      if (!t) throw new AppError('not_found', 'No such team.');
      return t;
    },
    async remove(id: string): Promise<void> {
      if (!(await teams.remove(id))) throw new AppError('not_found', 'No such team.');
    },
  };
}

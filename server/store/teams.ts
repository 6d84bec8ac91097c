/** Teams: their members and the sites they cover (who sees which site's conversations). */
import type { Team } from '../../shared/respond.ts';
import type { Sql } from './sql.ts';
import { uuidv7 } from './ids.ts';

interface TeamRow {
  id: string;
  name: string;
  created_at: number;
}

const pairs = (teamId: string, ids: string[]): { values: string; params: string[] } => ({
  values: ids.map(() => '(?, ?)').join(', '),
  params: ids.flatMap((id) => [teamId, id]),
});

export function teamsStore(sql: Sql) {
  const column = async (text: string, param: string): Promise<string[]> =>
    (await sql.all<{ v: string }>(text, [param])).map((r) => r.v);
  const byId = (id: string) => sql.get<TeamRow>('SELECT * FROM teams WHERE id = ?', [id]);

  const toTeam = async (r: TeamRow): Promise<Team> => {
    const [memberIds, siteIds] = await Promise.all([
      column('SELECT user_id AS v FROM team_members WHERE team_id = ? ORDER BY user_id', r.id),
      column('SELECT site_id AS v FROM team_sites WHERE team_id = ? ORDER BY site_id', r.id),
    ]);
    return { id: r.id, name: r.name, memberIds, siteIds, createdAt: r.created_at };
  };
  const setLinks = async (teamId: string, memberIds: string[], siteIds: string[]): Promise<void> => {
    await sql.run('DELETE FROM team_members WHERE team_id = ?', [teamId]);
    await sql.run('DELETE FROM team_sites WHERE team_id = ?', [teamId]);
    if (memberIds.length > 0) {
      const m = pairs(teamId, memberIds);
      await sql.run(`INSERT INTO team_members (team_id, user_id) VALUES ${m.values} ON CONFLICT DO NOTHING`, m.params);
    }
    if (siteIds.length > 0) {
      const s = pairs(teamId, siteIds);
      await sql.run(`INSERT INTO team_sites (team_id, site_id) VALUES ${s.values} ON CONFLICT DO NOTHING`, s.params);
    }
  };

  return {
    list: async (): Promise<Team[]> => Promise.all((await sql.all<TeamRow>('SELECT * FROM teams ORDER BY name')).map(toTeam)),
    async get(id: string): Promise<Team | null> {
      const r = await byId(id);
      return r ? toTeam(r) : null;
    },
    async create(input: { name: string; memberIds: string[]; siteIds: string[] }, now = Date.now()): Promise<Team> {
      const id = uuidv7(now);
      return sql.tx(async () => {
        await sql.run('INSERT INTO teams (id, name, created_at) VALUES (?, ?, ?)', [id, input.name, now]);
        await setLinks(id, input.memberIds, input.siteIds);
        return toTeam((await byId(id))!);
      });
    },
    async update(id: string, input: { name: string; memberIds: string[]; siteIds: string[] }): Promise<Team | null> {
      return sql.tx(async () => {
        if ((await sql.run('UPDATE teams SET name = ? WHERE id = ?', [input.name, id])).changes === 0) return null;
        await setLinks(id, input.memberIds, input.siteIds);
        return toTeam((await byId(id))!);
      });
    },
    remove: async (id: string): Promise<boolean> => (await sql.run('DELETE FROM teams WHERE id = ?', [id])).changes > 0,
    count: async (): Promise<number> => (await sql.get<{ n: number }>('SELECT count(*) AS n FROM teams'))?.n ?? 0,
    /** the sites any of the user's teams cover */
    siteIdsOfUser: (userId: string): Promise<string[]> =>
      column('SELECT DISTINCT ts.site_id AS v FROM team_members tm JOIN team_sites ts ON ts.team_id = tm.team_id WHERE tm.user_id = ?', userId),
    teamIdsOfUser: (userId: string): Promise<string[]> => column('SELECT team_id AS v FROM team_members WHERE user_id = ?', userId),
  };
}
export type TeamsStore = ReturnType<typeof teamsStore>;

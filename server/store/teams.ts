/** Teams: their members and the sites they cover (who sees which site's conversations). */
import type { Asyncify } from './async.ts';
import type { Team } from '../../shared/respond.ts';
import type { Db } from './db.ts';
import { uuidv7 } from './ids.ts';

interface TeamRow {
  id: string;
  name: string;
  created_at: number;
}

export function teamsStore(db: Db) {
  const all = db.prepare<[], TeamRow>('SELECT * FROM teams ORDER BY name');
  const byId = db.prepare<[string], TeamRow>('SELECT * FROM teams WHERE id = ?');
  const members = db.prepare<[string], string>('SELECT user_id FROM team_members WHERE team_id = ? ORDER BY user_id').pluck();
  const sites = db.prepare<[string], string>('SELECT site_id FROM team_sites WHERE team_id = ? ORDER BY site_id').pluck();
  const insert = db.prepare('INSERT INTO teams (id, name, created_at) VALUES (?, ?, ?)');
  const rename = db.prepare('UPDATE teams SET name = ? WHERE id = ?');
  const remove = db.prepare('DELETE FROM teams WHERE id = ?');
  const clearMembers = db.prepare('DELETE FROM team_members WHERE team_id = ?');
  const clearSites = db.prepare('DELETE FROM team_sites WHERE team_id = ?');
  const addMember = db.prepare('INSERT OR IGNORE INTO team_members (team_id, user_id) VALUES (?, ?)');
  const addSite = db.prepare('INSERT OR IGNORE INTO team_sites (team_id, site_id) VALUES (?, ?)');
  const count = db.prepare<[], number>('SELECT count(*) FROM teams').pluck();
  const sitesOfUser = db
    .prepare<[string], string>('SELECT DISTINCT ts.site_id FROM team_members tm JOIN team_sites ts ON ts.team_id = tm.team_id WHERE tm.user_id = ?')
    .pluck();
  const teamsOfUser = db.prepare<[string], string>('SELECT team_id FROM team_members WHERE user_id = ?').pluck();

  const toTeam = (r: TeamRow): Team => ({ id: r.id, name: r.name, memberIds: members.all(r.id), siteIds: sites.all(r.id), createdAt: r.created_at });
  const setLinks = (teamId: string, memberIds: string[], siteIds: string[]) => {
    clearMembers.run(teamId);
    clearSites.run(teamId);
    for (const u of memberIds) addMember.run(teamId, u);
    for (const s of siteIds) addSite.run(teamId, s);
  };

  const createTx = db.transaction((id: string, input: { name: string; memberIds: string[]; siteIds: string[] }, now: number): void => {
    insert.run(id, input.name, now);
    setLinks(id, input.memberIds, input.siteIds);
  });
  const updateTx = db.transaction((id: string, input: { name: string; memberIds: string[]; siteIds: string[] }): boolean => {
    if (rename.run(input.name, id).changes === 0) return false;
    setLinks(id, input.memberIds, input.siteIds);
    return true;
  });

  return {
    list: (): Team[] => all.all().map(toTeam),
    get(id: string): Team | null {
      const r = byId.get(id);
      return r ? toTeam(r) : null;
    },
    create(input: { name: string; memberIds: string[]; siteIds: string[] }, now = Date.now()): Team {
      const id = uuidv7(now);
      createTx(id, input, now);
      return toTeam(byId.get(id)!);
    },
    update(id: string, input: { name: string; memberIds: string[]; siteIds: string[] }): Team | null {
      if (!updateTx(id, input)) return null;
      return toTeam(byId.get(id)!);
    },
    remove: (id: string): boolean => remove.run(id).changes > 0,
    count: (): number => count.get() ?? 0,
    /** the sites any of the user's teams cover */
    siteIdsOfUser: (userId: string): string[] => sitesOfUser.all(userId),
    teamIdsOfUser: (userId: string): string[] => teamsOfUser.all(userId),
  };
}
export type TeamsStore = Asyncify<ReturnType<typeof teamsStore>>;

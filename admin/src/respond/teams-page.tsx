/** Teams: who is in each and which sites it covers. An agent sees only their teams' sites. */
import { useEffect, useState } from 'preact/hooks';
import type { Team } from '../../../shared/respond.ts';
import type { AdminSite, AdminUser } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { useAction } from '../ui/use-action.ts';

interface Draft {
  name: string;
  memberIds: string[];
  siteIds: string[];
}

function TeamForm({ initial, users, sites, onSave, onCancel }: { initial: Draft; users: AdminUser[]; sites: AdminSite[]; onSave: (d: Draft) => void; onCancel?: () => void }) {
  const [d, setD] = useState(initial);
  const toggle = (key: 'memberIds' | 'siteIds', id: string, on: boolean) => setD({ ...d, [key]: on ? [...d[key], id] : d[key].filter((x) => x !== id) });
  return (
    <form
      class="card panel"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(d);
      }}
    >
      <div class="field">
        <label for="team-name">Team name</label>
        <input id="team-name" value={d.name} onInput={(e) => setD({ ...d, name: e.currentTarget.value })} />
      </div>
      <div class="form-row">
        <fieldset class="checks">
          <legend>Members</legend>
          {users.map((u) => (
            <label class="check" key={u.id}>
              <input type="checkbox" checked={d.memberIds.includes(u.id)} onChange={(e) => toggle('memberIds', u.id, e.currentTarget.checked)} /> {u.name} ({u.role})
            </label>
          ))}
        </fieldset>
        <fieldset class="checks">
          <legend>Sites covered</legend>
          {sites.map((s) => (
            <label class="check" key={s.id}>
              <input type="checkbox" checked={d.siteIds.includes(s.id)} onChange={(e) => toggle('siteIds', s.id, e.currentTarget.checked)} /> {s.name}
            </label>
          ))}
        </fieldset>
      </div>
      <button class="button primary" type="submit">
        Save team
      </button>
      {onCancel && (
        <button class="button" type="button" onClick={onCancel}>
          Cancel
        </button>
      )}
    </form>
  );
}

export function TeamsPage() {
  const { api, user } = useApp();
  const owner = user?.role === 'owner';
  const [teams, setTeams] = useState<Team[]>([]);
  const [users, setUsers] = useState<AdminUser[]>([]);
  const [sites, setSites] = useState<AdminSite[]>([]);
  const [editing, setEditing] = useState<string | null>(null);
  const { error, setError, run } = useAction();

  useEffect(() => {
    Promise.all([api.listTeams(), api.listUsers(), api.listSites()]).then(([t, u, s]) => {
      setTeams(t.teams);
      setUsers(u.users);
      setSites(s.sites);
    }, setError);
  }, [api]);

  const nameOf = (list: { id: string; name: string }[], id: string) => list.find((x) => x.id === id)?.name ?? 'unknown';

  return (
    <div class="page">
      <header class="page-header">
        <div>
          <h1>Teams</h1>
          <p class="muted">Agents see the conversations of the sites their teams cover; owners see all. With no team yet, every agent sees every site.</p>
        </div>
      </header>
      <ErrorBanner error={error} />
      {teams.map((t) =>
        editing === t.id ? (
          <TeamForm
            key={t.id}
            initial={{ name: t.name, memberIds: t.memberIds, siteIds: t.siteIds }}
            users={users}
            sites={sites}
            onCancel={() => setEditing(null)}
            onSave={(d) =>
              run(async () => {
                const { team } = await api.updateTeam(t.id, d);
                setTeams((prev) => prev.map((x) => (x.id === team.id ? team : x)));
                setEditing(null);
              })
            }
          />
        ) : (
          <section key={t.id} class="card panel" aria-label={t.name}>
            <div class="panel-head">
              <h2>{t.name}</h2>
              {owner && (
                <div class="row-actions">
                  <button type="button" class="button link" onClick={() => setEditing(t.id)}>
                    Edit
                  </button>
                  <button
                    type="button"
                    class="button link danger"
                    onClick={() =>
                      run(async () => {
                        await api.deleteTeam(t.id);
                        setTeams((prev) => prev.filter((x) => x.id !== t.id));
                      })
                    }
                  >
                    Delete
                  </button>
                </div>
              )}
            </div>
            <p class="small">
              <strong>Members:</strong> {t.memberIds.map((id) => nameOf(users, id)).join(', ') || 'none'}
              <br />
              <strong>Sites:</strong> {t.siteIds.map((id) => nameOf(sites, id)).join(', ') || 'none'}
            </p>
          </section>
        ),
      )}
      {owner && (
        <>
          <h2>New team</h2>
          <TeamForm
            key={teams.length}
            initial={{ name: '', memberIds: [], siteIds: [] }}
            users={users}
            sites={sites}
            onSave={(d) =>
              run(async () => {
                const { team } = await api.createTeam(d);
                setTeams((prev) => [...prev, team]);
              })
            }
          />
        </>
      )}
    </div>
  );
}

/** A site's routing rules, in the order they run after every analysis; owners edit them. */
import { useEffect, useState } from 'preact/hooks';
import type { Rule, RuleInput } from '../../../shared/rules.ts';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { useAction } from '../ui/use-action.ts';
import { RuleEditor, type RuleRefs } from './rule-editor.tsx';
import { ACTION_TYPES, CONDITION_TYPES, draftOf, newDraft } from './rule-fields.ts';
import { SitePicker, useSites } from './site-picker.tsx';

const conditionLabel = (type: string) => CONDITION_TYPES.find((t) => t.type === type)?.label ?? type;
const actionLabel = (type: string) => ACTION_TYPES.find((t) => t.type === type)?.label ?? type;

export function RulesPage({ siteId }: { siteId?: string | undefined }) {
  const { api, user } = useApp();
  const owner = user?.role === 'owner';
  const { sites, current } = useSites(siteId);
  const [rules, setRules] = useState<Rule[] | null>(null);
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [refs, setRefs] = useState<RuleRefs>({ teams: [], agents: [], endpoints: [] });
  const { error, setError, run } = useAction();

  useEffect(() => {
    if (!current) return;
    setRules(null);
    api.listRules(current.id).then((r) => setRules(r.rules), setError);
    if (!owner) return;
    Promise.all([api.listTeams(), api.listUsers(), api.listWebhooks(current.id)]).then(
      ([t, u, w]) =>
        setRefs({
          teams: t.teams.map((x) => ({ id: x.id, name: x.name })),
          agents: u.users.filter((x) => !x.disabled).map((x) => ({ id: x.id, name: `${x.name} (${x.email})` })),
          endpoints: w.endpoints.map((x) => ({ id: x.id, name: x.name })),
        }),
      setError,
    );
  }, [api, current?.id, owner]);

  const save = async (input: RuleInput) => {
    if (!current) return;
    if (editing === 'new') await api.createRule(current.id, input);
    else if (editing) await api.updateRule(editing.id, input);
    setRules((await api.listRules(current.id)).rules);
    setEditing(null);
  };

  return (
    <div class="page">
      <header class="page-header">
        <div>
          <h1>Rules{current ? ` · ${current.name}` : ''}</h1>
          <p class="muted">After every analysis, each rule runs once, in this order: when its conditions match, its actions route and notify.</p>
        </div>
        {sites && <SitePicker sites={sites} current={current} route="rules" />}
      </header>
      <ErrorBanner error={error} />
      {editing ? (
        <RuleEditor initial={editing === 'new' ? newDraft() : draftOf(editing)} refs={refs} onSave={save} onCancel={() => setEditing(null)} />
      ) : (
        owner && current && (
          <button class="button primary" type="button" onClick={() => setEditing('new')}>
            New rule
          </button>
        )
      )}
      <ol class="rules">
        {(rules ?? []).map((r, i) => (
          <li key={r.id} class={`card panel rule${r.enabled ? '' : ' row-disabled'}`}>
            <div class="panel-head">
              <h2>
                {i + 1}. {r.name} {!r.enabled && <span class="badge muted">Off</span>}
              </h2>
              {owner && (
                <div class="row-actions">
                  <button type="button" class="button link" disabled={i === 0} onClick={() => run(async () => setRules((await api.moveRule(r.id, 'up')).rules))} aria-label={`Move ${r.name} up`}>
                    ↑
                  </button>
                  <button
                    type="button"
                    class="button link"
                    disabled={i === (rules?.length ?? 0) - 1}
                    onClick={() => run(async () => setRules((await api.moveRule(r.id, 'down')).rules))}
                    aria-label={`Move ${r.name} down`}
                  >
                    ↓
                  </button>
                  <button type="button" class="button link" onClick={() => setEditing(r)}>
                    Edit
                  </button>
                  <button
                    type="button"
                    class="button link danger"
                    onClick={() =>
                      run(async () => {
                        await api.deleteRule(r.id);
                        setRules((prev) => (prev ?? []).filter((x) => x.id !== r.id));
                      })
                    }
                  >
                    Delete
                  </button>
                </div>
              )}
            </div>
            <p class="small">
              <strong>When</strong> {r.conditions.map((c) => conditionLabel(c.type)).join(r.match === 'all' ? ' and ' : ' or ')}
              <br />
              <strong>Then</strong> {r.actions.map((a) => actionLabel(a.type)).join(', ')}
            </p>
          </li>
        ))}
      </ol>
      {rules !== null && rules.length === 0 && <p class="empty">No rules yet for this site.</p>}
    </div>
  );
}

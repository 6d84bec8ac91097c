/**
 * One rule as a form: name, all/any, conditions and actions, each field with its error beside
 * it. The shared RuleInput schema checks the form before it is sent; errors the server finds
 * (a team that no longer exists) come back with the same paths and show at the same fields.
 */
import { useState } from 'preact/hooks';
import type { RuleInput } from '../../../shared/rules.ts';
import { ApiError } from '../api/http.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import {
  ACTION_TYPES,
  actionFields,
  CONDITION_TYPES,
  conditionFields,
  newItem,
  validateDraft,
  type FieldErrors,
  type FieldSpec,
  type ItemDraft,
  type RefKind,
  type RuleDraft,
  type Value,
} from './rule-fields.ts';

export type RuleRefs = Record<RefKind, { id: string; name: string }[]>;

interface Props {
  initial: RuleDraft;
  refs: RuleRefs;
  /** resolves when saved; an ApiError with issues shows them at their fields */
  onSave: (rule: RuleInput) => Promise<void>;
  onCancel: () => void;
}

const label = (s: string) => s.replace(/_/g, ' ');

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <span class="field-error error-text" id={id} role="alert">
      {message}
    </span>
  );
}

function Field({ spec, value, path, error, refs, onChange }: { spec: FieldSpec; value: Value | undefined; path: string; error: string | undefined; refs: RuleRefs; onChange: (v: Value) => void }) {
  const id = `f-${path.replace(/\./g, '-')}`;
  const errId = `${id}-error`;
  const aria = error ? { 'aria-invalid': true, 'aria-describedby': errId } : {};
  const str = typeof value === 'string' ? value : '';
  let control;
  switch (spec.kind) {
    case 'bool':
      control = (
        <label class="check">
          <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} {...aria} /> {spec.label}
        </label>
      );
      break;
    case 'checks': {
      const set = Array.isArray(value) ? value : [];
      control = (
        <fieldset class="checks" {...aria}>
          <legend>{spec.label}</legend>
          {(spec.options ?? []).map((o) => (
            <label class="check" key={o}>
              <input type="checkbox" checked={set.includes(o)} onChange={(e) => onChange(e.currentTarget.checked ? [...set, o] : set.filter((x) => x !== o))} /> {label(o)}
            </label>
          ))}
        </fieldset>
      );
      break;
    }
    case 'select':
    case 'ref': {
      const options = spec.kind === 'ref' ? (refs[spec.ref ?? 'teams'] ?? []).map((r) => ({ value: r.id, text: r.name })) : (spec.options ?? []).map((o) => ({ value: o, text: label(o) }));
      control = (
        <select id={id} value={str} onChange={(e) => onChange(e.currentTarget.value)} {...aria}>
          {(spec.optional || spec.kind === 'ref') && <option value="">—</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.text}
            </option>
          ))}
        </select>
      );
      break;
    }
    case 'textarea':
      control = <textarea id={id} rows={3} value={str} onInput={(e) => onChange(e.currentTarget.value)} {...aria} />;
      break;
    default:
      control = <input id={id} type="text" inputMode={spec.kind === 'number' ? 'decimal' : undefined} value={str} onInput={(e) => onChange(e.currentTarget.value)} {...aria} />;
  }
  return (
    <div class="field compact">
      {spec.kind !== 'bool' && spec.kind !== 'checks' && <label for={id}>{spec.label}</label>}
      {control}
      {spec.hint && <span class="muted small">{spec.hint}</span>}
      <FieldError id={errId} message={error} />
    </div>
  );
}

function ItemEditor(props: {
  kind: 'conditions' | 'actions';
  index: number;
  item: ItemDraft;
  errors: FieldErrors;
  refs: RuleRefs;
  onChange: (item: ItemDraft) => void;
  onRemove: () => void;
}) {
  const { kind, index, item, errors, refs } = props;
  const types = kind === 'conditions' ? CONDITION_TYPES : ACTION_TYPES;
  const fields = kind === 'conditions' ? conditionFields(item.type) : actionFields(item.type);
  const base = `${kind}.${index}`;
  const typeId = `f-${base.replace('.', '-')}-type`;
  return (
    <div class="rule-item" data-path={base}>
      <div class="field compact">
        <label for={typeId}>{kind === 'conditions' ? `Condition ${index + 1}` : `Action ${index + 1}`}</label>
        <select
          id={typeId}
          value={item.type}
          onChange={(e) => {
            const type = e.currentTarget.value;
            props.onChange(newItem(type, kind === 'conditions' ? conditionFields(type) : actionFields(type)));
          }}
        >
          {types.map((t) => (
            <option key={t.type} value={t.type}>
              {t.label}
            </option>
          ))}
        </select>
        <FieldError id={`${typeId}-error`} message={errors.get(base)} />
      </div>
      {fields.map((f) => (
        <Field
          key={f.key}
          spec={f}
          value={item.values[f.key]}
          path={`${base}.${f.key}`}
          error={errors.get(`${base}.${f.key}`)}
          refs={refs}
          onChange={(v) => props.onChange({ ...item, values: { ...item.values, [f.key]: v } })}
        />
      ))}
      <button type="button" class="button link" onClick={props.onRemove}>
        Remove
      </button>
    </div>
  );
}

export function RuleEditor({ initial, refs, onSave, onCancel }: Props) {
  const [draft, setDraft] = useState<RuleDraft>(initial);
  const [errors, setErrors] = useState<FieldErrors>(new Map());
  const [failure, setFailure] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  const setList = (kind: 'conditions' | 'actions', list: ItemDraft[]) => setDraft((d) => ({ ...d, [kind]: list }));

  const submit = async (e: Event) => {
    e.preventDefault();
    setFailure(null);
    const checked = validateDraft(draft);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors(new Map());
    setSaving(true);
    try {
      await onSave(checked.rule);
    } catch (err) {
      if (err instanceof ApiError && err.issues.length) setErrors(new Map(err.issues.map((i) => [i.path, i.message])));
      setFailure(err);
    } finally {
      setSaving(false);
    }
  };

  const list = (kind: 'conditions' | 'actions') => (
    <section class="rule-list" aria-label={kind === 'conditions' ? 'Conditions' : 'Actions'}>
      {draft[kind].map((item, i) => (
        <ItemEditor
          key={i}
          kind={kind}
          index={i}
          item={item}
          errors={errors}
          refs={refs}
          onChange={(next) => setList(kind, draft[kind].map((x, j) => (j === i ? next : x)))}
          onRemove={() => setList(kind, draft[kind].filter((_, j) => j !== i))}
        />
      ))}
      <FieldError id={`f-${kind}-error`} message={errors.get(kind)} />
      <button
        type="button"
        class="button"
        onClick={() => setList(kind, [...draft[kind], kind === 'conditions' ? newItem('nps', conditionFields('nps')) : newItem('add_tags', actionFields('add_tags'))])}
      >
        {kind === 'conditions' ? 'Add condition' : 'Add action'}
      </button>
    </section>
  );

  return (
    <form class="card panel rule-editor" onSubmit={submit} noValidate>
      <ErrorBanner error={failure} />
      <div class="form-row">
        <div class="field">
          <label for="f-name">Name</label>
          <input id="f-name" value={draft.name} onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })} aria-invalid={errors.has('name') || undefined} aria-describedby={errors.has('name') ? 'f-name-error' : undefined} />
          <FieldError id="f-name-error" message={errors.get('name')} />
        </div>
        <div class="field">
          <label for="f-match">Run when</label>
          <select id="f-match" value={draft.match} onChange={(e) => setDraft({ ...draft, match: e.currentTarget.value === 'any' ? 'any' : 'all' })}>
            <option value="all">all conditions match</option>
            <option value="any">any condition matches</option>
          </select>
        </div>
        <label class="check">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => setDraft({ ...draft, enabled: e.currentTarget.checked })} /> Enabled
        </label>
      </div>
      <h3>Conditions</h3>
      {list('conditions')}
      <h3>Actions</h3>
      {list('actions')}
      <div class="form-actions">
        <button class="button primary" type="submit" disabled={saving}>
          Save rule
        </button>
        <button class="button" type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

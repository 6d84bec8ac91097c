import type { SiteSettings } from '../api/types.ts';

type Topic = SiteSettings['topics'][number];

/** The site's topic list: extraction assigns conversations to these names. */
export function TopicsEditor({ value, onChange }: { value: Topic[]; onChange: (next: Topic[]) => void }) {
  const update = (i: number, patch: Partial<Topic>) => onChange(value.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  return (
    <div class="list-editor">
      {value.map((t, i) => (
        <div key={i} class="list-editor-row">
          <input aria-label={`Topic ${i + 1} name`} placeholder="Delivery" value={t.name} onInput={(e) => update(i, { name: e.currentTarget.value })} />
          <input
            aria-label={`Topic ${i + 1} description`}
            placeholder="What belongs here (helps the analysis)"
            value={t.description}
            onInput={(e) => update(i, { description: e.currentTarget.value })}
          />
          <button type="button" class="button link" aria-label={`Remove topic ${t.name || i + 1}`} onClick={() => onChange(value.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" class="button" onClick={() => onChange([...value, { name: '', description: '', examples: [] }])}>
        Add topic
      </button>
    </div>
  );
}

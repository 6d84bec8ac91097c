import { useEffect, useState } from 'preact/hooks';
import type { CannedResponse } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { useAction } from '../ui/use-action.ts';

/** Saved replies agents insert with "/shortcut"; placeholders are filled when sent. */
export function CannedEditor({ siteId }: { siteId: string }) {
  const { api } = useApp();
  const [items, setItems] = useState<CannedResponse[]>([]);
  const [shortcut, setShortcut] = useState('');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const { error, setError, run } = useAction();

  useEffect(() => {
    api.listCanned(siteId).then((r) => setItems(r.canned), setError);
  }, [api, siteId]);

  const add = async (e: Event) => {
    e.preventDefault();
    await run(async () => {
      const { canned } = await api.createCanned({ siteId, shortcut: shortcut.trim(), title: title.trim(), text: text.trim() });
      setItems((prev) => [...prev, canned]);
      setShortcut('');
      setTitle('');
      setText('');
    });
  };
  const remove = (id: number) =>
    run(async () => {
      await api.deleteCanned(id);
      setItems((prev) => prev.filter((c) => c.id !== id));
    });

  return (
    <div>
      <ul class="canned-list">
        {items.map((c) => (
          <li key={c.id}>
            <div>
              <code>/{c.shortcut}</code> <strong>{c.title}</strong>
              {c.siteId === null && <span class="muted small"> · all sites</span>}
              <p class="muted">{c.text}</p>
            </div>
            <button type="button" class="button link" aria-label={`Delete canned response ${c.title}`} onClick={() => remove(c.id)}>
              Delete
            </button>
          </li>
        ))}
        {items.length === 0 && <li class="muted">No canned responses yet.</li>}
      </ul>
      <form class="canned-form" onSubmit={add}>
        <div class="form-row">
          <label class="field compact">
            <span>Shortcut</span>
            <input required placeholder="thanks" pattern="[A-Za-z0-9_\-]{1,40}" value={shortcut} onInput={(e) => setShortcut(e.currentTarget.value)} />
          </label>
          <label class="field compact">
            <span>Title</span>
            <input required placeholder="Thank you" value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
          </label>
        </div>
        <label class="field compact">
          <span>Text ({'{{visitor.name}}'}, {'{{agent.name}}'}, {'{{site.name}}'} are filled in)</span>
          <textarea required rows={2} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <ErrorBanner error={error} />
        <button type="submit" class="button">
          Add canned response
        </button>
      </form>
    </div>
  );
}

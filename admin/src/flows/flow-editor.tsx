import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError } from '../api/http.ts';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { useAction } from '../ui/use-action.ts';
import { FlowPreview } from './flow-preview.tsx';
import { JsonEditor } from './json-editor.tsx';
import { validateFlowJson, type FlowProblem } from './validate-flow.ts';

interface Props {
  siteId: string;
  siteKey: string;
  /** null for a new flow */
  flowId: string | null;
  initialJson: string;
  onSaved: (flowId: string) => void;
  onDeleted: () => void;
  /** the site's default flow cannot be deleted */
  isDefault: boolean;
}

/** Edit a flow as JSON: checked against the shared schema as you type, saved to the server. */
export function FlowEditor({ siteId, siteKey, flowId, initialJson, onSaved, onDeleted, isDefault }: Props) {
  const { api, user } = useApp();
  const [text, setText] = useState(initialJson);
  const [serverProblems, setServerProblems] = useState<FlowProblem[]>([]);
  const { error, setError, run } = useAction();
  const [saved, setSaved] = useState<string | null>(null);
  const [previewKey, setPreviewKey] = useState(0);

  useEffect(() => {
    setText(initialJson);
    setServerProblems([]);
    setSaved(null);
  }, [initialJson]);

  const check = useMemo(() => validateFlowJson(text), [text]);
  const problems = check.ok ? serverProblems : check.problems;

  const save = async () => {
    if (!check.ok) return;
    setError(null);
    setServerProblems([]);
    try {
      const res = await api.saveFlow(siteId, check.flow.id, text);
      setSaved(res.flow.id);
      setPreviewKey((k) => k + 1);
      if (res.flow.id !== flowId) onSaved(res.flow.id);
    } catch (err) {
      if (err instanceof ApiError && err.issues.length > 0) {
        setServerProblems(err.issues.map((i) => ({ line: i.line ?? 1, path: i.path, message: i.message })));
      }
      setError(err);
    }
  };

  const remove = async () => {
    if (!flowId || !confirm(`Delete the flow “${flowId}”? Conversations that ran it keep their transcripts.`)) return;
    await run(async () => {
      await api.deleteFlow(siteId, flowId);
      onDeleted();
    });
  };

  return (
    <div class="flow-editor">
      <div class="card panel">
        <div class="panel-head">
          <h2>{flowId ? `Flow ${flowId}` : 'New flow'}</h2>
          <span class={`badge ${check.ok ? 'ok' : 'bad'}`} role="status">
            {check.ok ? 'Valid' : `${check.problems.length} problem${check.problems.length === 1 ? '' : 's'}`}
          </span>
        </div>
        <JsonEditor label="Flow JSON" value={text} onInput={(t) => (setText(t), setSaved(null))} problems={problems} />
        <ErrorBanner error={error} />
        <div class="save-bar">
          {saved && (
            <span class="ok-text" role="status">
              Saved
            </span>
          )}
          {flowId && user?.role === 'owner' && (
            <button type="button" class="button danger subtle push-left" disabled={isDefault} title={isDefault ? 'The site’s default flow cannot be deleted' : undefined} onClick={remove}>
              Delete flow
            </button>
          )}
          {check.ok && check.flow.id !== flowId && flowId && <span class="muted small">Saving creates a new flow “{check.flow.id}”.</span>}
          <button type="button" class="button primary" disabled={!check.ok || user?.role !== 'owner'} onClick={save}>
            Save flow
          </button>
        </div>
      </div>
      <div class="card panel preview-panel">
        <div class="panel-head">
          <h2>Preview</h2>
          <button type="button" class="button link" onClick={() => setPreviewKey((k) => k + 1)} disabled={!flowId}>
            Restart
          </button>
        </div>
        {flowId ? (
          <FlowPreview key={previewKey} siteKey={siteKey} flowId={flowId} />
        ) : (
          <p class="muted">Save the flow to try it here.</p>
        )}
      </div>
    </div>
  );
}

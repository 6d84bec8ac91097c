import { useEffect, useState } from 'preact/hooks';
import type { ColumnMapping, FeedbackRatingType, ImportPreview, ImportView } from '../../../shared/feedback.ts';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { formatDateTime } from '../ui/format.ts';
import { useAction } from '../ui/use-action.ts';

type Field = Exclude<keyof ColumnMapping, 'ratingType' | 'source'>;
const FIELDS: { field: Field; label: string; required?: boolean }[] = [
  { field: 'text', label: 'Text', required: true },
  { field: 'externalId', label: 'External id' },
  { field: 'author', label: 'Author' },
  { field: 'createdAt', label: 'Date' },
  { field: 'rating', label: 'Rating' },
  { field: 'url', label: 'URL' },
  { field: 'language', label: 'Language' },
];
const RATING_TYPES: FeedbackRatingType[] = ['stars', 'nps', 'csat', 'ces'];
const DELIMITER_NAMES = new Map([
  [',', 'comma'],
  [';', 'semicolon'],
  ['\t', 'tab'],
  ['|', 'pipe'],
]);
const POLL_MS = 1000;

/** progress and the failed rows of one import; polls while it runs */
export function ImportReport({ initial }: { initial: ImportView }) {
  const { api } = useApp();
  const [view, setView] = useState(initial);
  const [error, setError] = useState<unknown>(null);
  const active = view.status === 'queued' || view.status === 'running';
  useEffect(() => {
    if (!active) return;
    const t = setTimeout(() => api.ingest.getImport(view.id).then((r) => setView(r.import), setError), POLL_MS);
    return () => clearTimeout(t);
  }, [api, view, active]);
  const pct = view.total ? Math.round((view.processed / view.total) * 100) : 0;
  return (
    <section class="card panel" aria-label={`Import of ${view.filename}`}>
      <h3>
        {view.filename} <span class="muted small">· {view.status}</span>
      </h3>
      <ErrorBanner error={error} />
      <progress max={view.total || 1} value={view.processed} aria-label="Import progress">
        {pct}%
      </progress>
      <p>
        {view.processed} of {view.total} rows · <strong>{view.created}</strong> imported · {view.duplicates} already there · {view.failed} failed
      </p>
      {view.lastError && <p class="error-text">{view.lastError}</p>}
      {view.errors.length > 0 && (
        <table class="table" aria-label="Rows that failed">
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {view.errors.map((e) => (
              <tr key={`${e.line}:${e.reason}`}>
                <td>{e.line}</td>
                <td>{e.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {view.failed > view.errors.length && <p class="muted small">Showing the first {view.errors.length} failed rows.</p>}
    </section>
  );
}

/** step 2: which column feeds which field, with the first rows as they will be read */
export function MappingStep({ preview, onStarted }: { preview: ImportPreview; onStarted: (v: ImportView) => void }) {
  const { api } = useApp();
  const action = useAction();
  const [mapping, setMapping] = useState<Partial<Record<Field, string>>>(() => {
    const m: Partial<Record<Field, string>> = {};
    for (const { field } of FIELDS) {
      const col = preview.suggested[field];
      if (typeof col === 'string') m[field] = col;
    }
    return m;
  });
  const [ratingType, setRatingType] = useState<FeedbackRatingType>('stars');
  const [source, setSource] = useState('import');
  const { import: imp, columns, rows } = preview;

  const start = () =>
    action.run(async () => {
      const chosen = Object.fromEntries(Object.entries(mapping).filter(([, v]) => v));
      const r = await api.ingest.startImport(imp.id, { ...chosen, text: mapping.text ?? '', ratingType, source });
      onStarted(r.import);
    });

  return (
    <section class="card panel" aria-label="Map columns">
      <h3>Map the columns of {imp.filename}</h3>
      <p class="muted small">
        {imp.format.toUpperCase()}
        {imp.delimiter !== null ? `, ${DELIMITER_NAMES.get(imp.delimiter) ?? imp.delimiter}-separated` : ''} · {imp.total} rows
      </p>
      <div class="form-grid">
        {FIELDS.map(({ field, label, required }) => (
          <label class="field compact" key={field}>
            <span>
              {label}
              {required ? ' (required)' : ''}
            </span>
            <select
              aria-label={`${label}${required ? ' (required)' : ''}`}
              value={mapping[field] ?? ''}
              onChange={(e) => setMapping({ ...mapping, [field]: e.currentTarget.value || undefined })}
            >
              <option value="">{required ? 'Choose a column' : 'Not in the file'}</option>
              {columns.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        ))}
        <label class="field compact">
          <span>Rating scale</span>
          <select aria-label="Rating scale" value={ratingType} onChange={(e) => setRatingType(e.currentTarget.value as FeedbackRatingType)}>
            {RATING_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label class="field compact">
          <span>Source label</span>
          <input value={source} onInput={(e) => setSource(e.currentTarget.value.trim())} placeholder="e.g. app-store" />
        </label>
      </div>
      <div class="table-scroll">
        <table class="table" aria-label="Preview of the first rows">
          <thead>
            <tr>
              {FIELDS.filter((f) => mapping[f.field]).map((f) => (
                <th scope="col" key={f.field}>
                  {f.label}
                  <span class="cell-sub">{mapping[f.field]}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i}>
                {FIELDS.filter((f) => mapping[f.field]).map((f) => (
                  <td key={f.field} class="preview-cell">
                    {row[mapping[f.field] ?? ''] ?? ''}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ErrorBanner error={action.error} />
      <button type="button" class="button primary" disabled={!mapping.text} onClick={start}>
        Start import
      </button>
    </section>
  );
}

/** Upload a CSV or JSON export, map its columns, import it in the background. */
export function ImportPanel({ siteId }: { siteId: string }) {
  const { api } = useApp();
  const action = useAction();
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [started, setStarted] = useState<ImportView | null>(null);
  const [recent, setRecent] = useState<ImportView[]>([]);

  useEffect(() => {
    api.ingest.listImports(siteId).then((r) => setRecent(r.imports), action.setError);
  }, [api, siteId, started]);

  const onFile = (file: File | undefined) => {
    if (!file) return;
    setStarted(null);
    void action.run(async () => setPreview(await api.ingest.upload(siteId, file, file.name)));
  };

  return (
    <div class="stack">
      <section class="card panel">
        <h3>Import a file</h3>
        <p class="muted">CSV (comma, semicolon or tab separated) or JSON exports of reviews, app-store ratings or survey answers. Importing the same rows again changes nothing.</p>
        <label class="field">
          <span>CSV or JSON file</span>
          <input type="file" accept=".csv,.tsv,.txt,.json,.ndjson,.jsonl,text/csv,application/json" onChange={(e) => onFile(e.currentTarget.files?.[0])} />
        </label>
        <ErrorBanner error={action.error} />
      </section>
      {preview && !started && (
        <MappingStep
          preview={preview}
          onStarted={(v) => {
            setStarted(v);
            setPreview(null);
          }}
        />
      )}
      {started && <ImportReport key={started.id} initial={started} />}
      {recent.length > 0 && (
        <section class="card table-card">
          <table class="table" aria-label="Recent imports">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Status</th>
                <th scope="col">Imported</th>
                <th scope="col">Failed</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {recent.map((r) => (
                <tr key={r.id}>
                  <td>{r.filename}</td>
                  <td>{r.status}</td>
                  <td>{r.created}</td>
                  <td>{r.failed}</td>
                  <td class="nowrap muted">{formatDateTime(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}

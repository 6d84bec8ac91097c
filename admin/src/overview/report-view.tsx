import { useEffect, useState } from 'preact/hooks';
import type { InsightReport, ReportSchedule, ResolvedFilters } from '../../../shared/insights.ts';
import { inlineRuns, parseReportMarkdown, type Block } from '../../../shared/report-markdown.ts';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { useAction } from '../ui/use-action.ts';

function Inline({ text }: { text: string }) {
  return (
    <>
      {inlineRuns(text).map((r, i) => (r.bold ? <strong key={i}>{r.text}</strong> : r.text))}
    </>
  );
}

/** the report's Markdown as elements (text only, never HTML) */
export function ReportBody({ markdown }: { markdown: string }) {
  const render = (b: Block, i: number) => {
    switch (b.kind) {
      case 'heading': {
        const H = b.level === 1 ? 'h2' : b.level === 2 ? 'h3' : 'h4';
        return (
          <H key={i} class={`report-h${b.level}`}>
            <Inline text={b.text} />
          </H>
        );
      }
      case 'paragraph':
        return (
          <p key={i}>
            <Inline text={b.text} />
          </p>
        );
      case 'quote':
        return (
          <blockquote key={i}>
            <Inline text={b.text} />
          </blockquote>
        );
      case 'list':
        return (
          <ul key={i}>
            {b.items.map((it, j) => (
              <li key={j}>
                <Inline text={it.text} />
                {it.quote && (
                  <blockquote>
                    <Inline text={it.quote} />
                  </blockquote>
                )}
              </li>
            ))}
          </ul>
        );
      case 'table':
        return (
          <div class="table-scroll" key={i}>
            <table class="table compact-table">
              <thead>
                <tr>
                  {b.head.map((c, j) => (
                    <th key={j} scope="col">
                      <Inline text={c} />
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {b.rows.map((r, j) => (
                  <tr key={j}>
                    {r.map((c, k) => (
                      <td key={k}>
                        <Inline text={c} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
    }
  };
  return <div class="report-body">{parseReportMarkdown(markdown).map(render)}</div>;
}

function Schedule({ siteId }: { siteId: string }) {
  const { api, user } = useApp();
  const [schedule, setSchedule] = useState<ReportSchedule | null>(null);
  const [emailOk, setEmailOk] = useState(false);
  const [hookOk, setHookOk] = useState(false);
  const [email, setEmail] = useState('');
  const [webhook, setWebhook] = useState(false);
  const [alerts, setAlerts] = useState(false);
  const [saved, setSaved] = useState(false);
  const { error, run } = useAction();
  useEffect(() => {
    api.reportSchedule(siteId).then(
      (r) => {
        setSchedule(r.schedule);
        setEmailOk(r.emailAvailable);
        setHookOk(r.webhookAvailable);
        setEmail(r.schedule.email ?? '');
        setWebhook(r.schedule.webhook);
        setAlerts(r.schedule.emergingAlerts);
      },
      () => setSchedule(null),
    );
  }, [api, siteId]);
  if (user?.role !== 'owner') return null;
  const save = (e: Event) => {
    e.preventDefault();
    setSaved(false);
    void run(async () => {
      const r = await api.setReportSchedule(siteId, email.trim() || null, alerts, webhook);
      setSchedule(r.schedule);
      setSaved(true);
    });
  };
  const active = email.trim() !== '' || webhook;
  return (
    <form class="schedule" onSubmit={save} aria-labelledby="schedule-title">
      <h3 id="schedule-title">Weekly report</h3>
      {!emailOk && <p class="muted small">E-mail delivery is not configured on this server; reports can go to the site's webhooks.</p>}
      <div class="form-row">
        <label class="field compact">
          <span>E-mail to</span>
          <input type="email" value={email} placeholder="owner@example.com" disabled={!emailOk} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label class="check">
          <input type="checkbox" checked={webhook} disabled={!hookOk} onChange={(e) => setWebhook(e.currentTarget.checked)} /> Post to the site's webhooks (events
          insights.report and insights.emerging)
        </label>
        <label class="check">
          <input type="checkbox" checked={alerts} onChange={(e) => setAlerts(e.currentTarget.checked)} /> Also alert about emerging topics (checked daily)
        </label>
        <button class="button" type="submit">
          {active ? 'Schedule' : 'Stop'}
        </button>
      </div>
      {schedule?.nextRunAt && <p class="muted small">Next report: {new Date(schedule.nextRunAt).toLocaleString()}</p>}
      {saved && (
        <p class="ok-text" role="status">
          Saved.
        </p>
      )}
      <ErrorBanner error={error} />
    </form>
  );
}

/** "Generate report" for the overview's segment and period, downloadable and printable. */
export function ReportView({ filters }: { filters: ResolvedFilters }) {
  const { api } = useApp();
  const [report, setReport] = useState<InsightReport | null>(null);
  const [busy, setBusy] = useState(false);
  const { error, run } = useAction();
  const generate = async () => {
    setBusy(true);
    await run(async () => setReport((await api.generateReport(filters)).report));
    setBusy(false);
  };
  return (
    <section class="card" aria-labelledby="report-title">
      <div class="card-head">
        <h2 id="report-title">Insight report</h2>
        <button class="button primary" type="button" onClick={generate} disabled={busy} aria-busy={busy}>
          {busy ? 'Writing…' : 'Generate report'}
        </button>
      </div>
      <p class="muted small">
        Key figures, what changed, top issues with quotes, unmet expectations and recommendations for {filters.from} to {filters.to} under the filters above.
      </p>
      <ErrorBanner error={error} />
      {report && (
        <article class="report" aria-label="Generated report">
          <p class="report-meta muted small">
            {report.writer === 'llm' ? 'Written by the LLM from the aggregated figures (every number checked).' : 'Written from the figures by the offline template.'}
            {report.fallbackReason && <span role="note"> {report.fallbackReason}</span>}
          </p>
          <div class="report-actions">
            <a class="button small" href={api.reportMarkdownUrl(report.id)} download>
              Download Markdown
            </a>
            <a class="button small" href={api.reportPrintUrl(report.id)} target="_blank" rel="noopener">
              Printable page
            </a>
          </div>
          <ReportBody markdown={report.markdown} />
        </article>
      )}
      {filters.siteId && <Schedule siteId={filters.siteId} />}
    </section>
  );
}

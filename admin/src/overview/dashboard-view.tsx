import { useMemo } from 'preact/hooks';
import type { Dashboard, SeriesPoint } from '../../../shared/insights.ts';
import type { ConversationFilters } from '../api/types.ts';
import { href } from '../shell/route.ts';
import { DataTable } from './data-table.tsx';
import { periodHref, transcriptsHref } from './links.ts';
import { TimeChart, type ChartSeries } from './time-chart.tsx';

const num = (x: number | null, digits = 0) => (x === null ? '–' : x.toFixed(digits));
const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;
const SOURCE_COLORS = ['#4f46e5', '#0e9f6e', '#d97706', '#db2777', '#0891b2', '#6b7280'];

function go(url: string) {
  location.hash = url.replace(/^#/, '');
}

interface Metric {
  key: string;
  title: string;
  line: string;
  value: (p: SeriesPoint) => number | null;
  n: (p: SeriesPoint) => number;
  digits: number;
  range?: [number, number];
  color: string;
  note: string;
}

const METRICS: Metric[] = [
  { key: 'nps', title: 'NPS', line: 'NPS', value: (p) => p.nps.score, n: (p) => p.nps.n, digits: 0, range: [-100, 100], color: '#4f46e5', note: '% promoters − % detractors' },
  { key: 'csat', title: 'CSAT', line: '% satisfied', value: (p) => p.csat.score, n: (p) => p.csat.n, digits: 0, range: [0, 100], color: '#0e9f6e', note: '% answering 4 or 5 of 5' },
  { key: 'ces', title: 'Customer effort', line: 'CES (1–7)', value: (p) => p.ces.mean, n: (p) => p.ces.n, digits: 2, range: [1, 7], color: '#d97706', note: 'mean, 7 = very easy' },
  { key: 'sentiment', title: 'Sentiment', line: 'Mean sentiment', value: (p) => p.sentiment.mean, n: (p) => p.sentiment.n, digits: 2, range: [-1, 1], color: '#db2777', note: 'mean, −1 to 1' },
];

function MetricChart({ d, m }: { d: Dashboard; m: Metric }) {
  const labels = useMemo(() => d.series.map((p) => p.bucket), [d]);
  const series = useMemo<ChartSeries[]>(
    () => [
      { label: m.line, values: d.series.map(m.value), color: m.color },
      { label: 'Answers', values: d.series.map(m.n), color: '#94a3b8', kind: 'bars' },
    ],
    [d, m],
  );
  const link = (p: SeriesPoint) => transcriptsHref(d.filters, d.timeZone, { from: p.bucket, toExclusive: p.end });
  return (
    <section class="card chart-card" aria-labelledby={`chart-${m.key}`}>
      <h2 id={`chart-${m.key}`}>
        {m.title} over time <span class="muted small">({m.note}; bars: answers)</span>
      </h2>
      <TimeChart
        label={`${m.title} by ${d.granularity}, with the number of answers`}
        labels={labels}
        series={series}
        {...(m.range ? { range: m.range } : {})}
        onPick={(i) => {
          const p = d.series[i];
          if (p) go(link(p));
        }}
      />
      <DataTable
        caption={`${m.title} by ${d.granularity}`}
        head={[d.granularity === 'day' ? 'Day' : d.granularity === 'week' ? 'Week of' : 'Month', m.line, 'Answers', 'Transcripts']}
        rows={d.series.map((p) => [p.bucket, num(m.value(p), m.digits), m.n(p), <a href={link(p)}>Open</a>])}
        csv={d.series.map((p) => [p.bucket, m.value(p), m.n(p)])}
        fileName={`${m.key}-by-${d.granularity}.csv`}
      />
    </section>
  );
}

function Kpis({ d }: { d: Dashboard }) {
  const t = d.totals;
  const items: [string, string, string, string][] = [
    ['Conversations', String(t.responses), 'analysed', periodHref(d.filters, d.timeZone)],
    ['NPS', num(t.nps.score, 0), `${t.nps.n} answers · ${t.nps.promoters} promoters, ${t.nps.detractors} detractors`, periodHref(d.filters, d.timeZone, { nps: 'detractor' })],
    ['CSAT', t.csat.score === null ? '–' : `${num(t.csat.score, 0)}%`, `${t.csat.n} answers satisfied or not`, periodHref(d.filters, d.timeZone)],
    ['Customer effort', num(t.ces.mean, 1), `${t.ces.n} answers, 1–7`, periodHref(d.filters, d.timeZone)],
    ['Sentiment', num(t.sentiment.mean, 2), `${t.sentiment.positive} positive, ${t.sentiment.negative} negative`, periodHref(d.filters, d.timeZone, { sentiment: 'negative' })],
  ];
  return (
    <ul class="kpis" aria-label="Key figures">
      {items.map(([name, value, note, link]) => (
        <li key={name} class="card kpi">
          <span class="kpi-name">{name}</span>
          <a class="kpi-value" href={link}>
            {value}
          </a>
          <span class="muted small">{note}</span>
        </li>
      ))}
    </ul>
  );
}

function BarList({ title, keyName, rows, total, link, caption, fileName }: { title: string; keyName: string; rows: { key: string; n: number }[]; total: number; link: (key: string) => string; caption: string; fileName: string }) {
  return (
    <section class="card" aria-labelledby={`bars-${fileName}`}>
      <h2 id={`bars-${fileName}`}>{title}</h2>
      <ul class="bar-list">
        {rows.map((r) => (
          <li key={r.key}>
            <a href={link(r.key)} class="bar-row">
              <span class="bar-label">{r.key}</span>
              <span class="bar-track" aria-hidden="true">
                <span class="bar-fill" style={{ width: `${total ? (100 * r.n) / total : 0}%` }} />
              </span>
              <span class="bar-value">{r.n}</span>
            </a>
          </li>
        ))}
      </ul>
      {rows.length === 0 && <p class="empty">Nothing in this period.</p>}
      <DataTable caption={caption} head={[keyName, 'Conversations', 'Share']} rows={rows.map((r) => [r.key, r.n, total ? pct(r.n / total) : '–'])} csv={rows.map((r) => [r.key, r.n, total ? r.n / total : null])} fileName={fileName} />
    </section>
  );
}

function Volume({ d }: { d: Dashboard }) {
  const sources = d.bySource.map((s) => s.key);
  const labels = useMemo(() => d.volume.map((p) => p.bucket), [d]);
  const series = useMemo<ChartSeries[]>(
    () => [
      { label: 'All', values: d.volume.map((p) => Object.values(p.bySource).reduce((a, b) => a + b, 0)), color: '#94a3b8', kind: 'bars' },
      ...sources.map((s, i) => ({ label: s, values: d.volume.map((p) => p.bySource[s] ?? 0), color: SOURCE_COLORS[i % SOURCE_COLORS.length] ?? '#6b7280' })),
    ],
    [d],
  );
  return (
    <section class="card chart-card" aria-labelledby="chart-volume">
      <h2 id="chart-volume">Volume by source</h2>
      <TimeChart
        label={`Conversations by ${d.granularity} and source`}
        labels={labels}
        series={series}
        onPick={(i) => {
          const p = d.volume[i];
          if (p) go(transcriptsHref(d.filters, d.timeZone, { from: p.bucket, toExclusive: p.end }));
        }}
      />
      <DataTable
        caption={`Conversations by ${d.granularity} and source`}
        head={['Period', ...sources, 'Transcripts']}
        rows={d.volume.map((p) => [p.bucket, ...sources.map((s) => p.bySource[s] ?? 0), <a href={transcriptsHref(d.filters, d.timeZone, { from: p.bucket, toExclusive: p.end })}>Open</a>])}
        csv={d.volume.map((p) => [p.bucket, ...sources.map((s) => p.bySource[s] ?? 0)])}
        fileName={`volume-by-${d.granularity}.csv`}
      />
    </section>
  );
}

function Surveys({ d }: { d: Dashboard }) {
  if (d.surveys.length === 0) return null;
  return (
    <section class="card" aria-labelledby="surveys-title">
      <h2 id="surveys-title">Survey completion and drop-off</h2>
      {d.surveys.map((s) => (
        <div key={`${s.siteId}/${s.flowId}`} class="survey">
          <h3>
            <a href={periodHref({ ...d.filters, siteId: s.siteId, flowId: s.flowId }, d.timeZone)}>{s.name}</a> · {s.completed} of {s.started} completed (
            {s.started ? pct(s.completed / s.started, 0) : '–'})
          </h3>
          <ol class="funnel">
            {s.questions.map((q) => (
              <li key={q.id}>
                <span class="bar-label" title={q.prompt}>
                  {q.prompt}
                </span>
                <span class="bar-track" aria-hidden="true">
                  <span class="bar-fill" style={{ width: `${s.started ? (100 * q.answered) / s.started : 0}%` }} />
                </span>
                <span class="bar-value">
                  {q.answered} answered{q.droppedHere > 0 ? ` · ${q.droppedHere} left here` : ''}
                </span>
              </li>
            ))}
          </ol>
          <DataTable
            caption={`${s.name}: answers and drop-off per question`}
            head={['Question', 'Type', 'Answered', 'Left at this question', 'Share answered']}
            rows={s.questions.map((q) => [q.prompt, q.type, q.answered, q.droppedHere, s.started ? pct(q.answered / s.started, 0) : '–'])}
            csv={s.questions.map((q) => [q.id, q.type, q.answered, q.droppedHere, s.started ? q.answered / s.started : null])}
            fileName={`survey-${s.flowId}.csv`}
          />
        </div>
      ))}
    </section>
  );
}

function Topics({ d }: { d: Dashboard }) {
  const link = (topic: string) => periodHref(d.filters, d.timeZone, { topic });
  return (
    <section class="card" aria-labelledby="topics-title">
      <h2 id="topics-title">Top topics</h2>
      <DataTable
        open
        caption="Top topics with their share, sentiment and change against the previous period"
        head={['Topic', 'Conversations', 'Share', 'Sentiment', 'Change (points)']}
        rows={d.topics.map((t) => [
          <a href={link(t.name)}>{t.name}</a>,
          t.n,
          <span class="share">
            <span class="bar-track" aria-hidden="true">
              <span class="bar-fill" style={{ width: `${Math.min(100, t.share * 100)}%` }} />
            </span>
            {pct(t.share)}
          </span>,
          <span class={t.sentiment === null ? '' : t.sentiment < -0.15 ? 'neg' : t.sentiment > 0.15 ? 'pos' : ''}>{num(t.sentiment, 2)}</span>,
          <span class={t.changePoints > 0 ? 'up' : t.changePoints < 0 ? 'down' : ''}>
            {t.changePoints > 0 ? '▲ +' : t.changePoints < 0 ? '▼ ' : ''}
            {t.changePoints.toFixed(1)}
          </span>,
        ])}
        csv={d.topics.map((t) => [t.name, t.n, t.share, t.sentiment, t.changePoints])}
        fileName="topics.csv"
      />
      {d.topics.length === 0 && <p class="empty">No topics in this period.</p>}
    </section>
  );
}

const KIND: ReadonlyMap<string, string> = new Map([
  ['delivery', 'Delivery'],
  ['feature', 'Features'],
  ['price', 'Price'],
  ['response_time', 'Response time'],
  ['quality', 'Quality'],
  ['other', 'Other'],
]);

function Expectations({ d }: { d: Dashboard }) {
  return (
    <section class="card" aria-labelledby="expect-title">
      <h2 id="expect-title">Expectations most often unmet</h2>
      {d.expectations.length === 0 && <p class="empty">No unmet expectations in this period.</p>}
      <ul class="expectations">
        {d.expectations.map((x) => (
          <li key={x.kind}>
            <div class="bar-row">
              <span class="bar-label">{KIND.get(x.kind) ?? x.kind}</span>
              <span class="bar-track" aria-hidden="true">
                <span class="bar-fill warn" style={{ width: `${x.unmetShare * 100}%` }} />
              </span>
              <span class="bar-value">
                {x.unmet} unmet ({pct(x.unmetShare, 0)})
              </span>
            </div>
            {x.quotes.length > 0 && (
              <ul class="quotes">
                {x.quotes.map((q) => (
                  <li key={q.conversationId}>
                    <a href={href({ name: 'conversation', id: q.conversationId })}>“{q.text}”</a>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
      <DataTable
        caption="Expectations by kind"
        head={['Kind', 'Stated', 'Unmet', 'Unmet share']}
        rows={d.expectations.map((x) => [KIND.get(x.kind) ?? x.kind, x.total, x.unmet, pct(x.unmetShare, 0)])}
        csv={d.expectations.map((x) => [x.kind, x.total, x.unmet, x.unmetShare])}
        fileName="expectations.csv"
      />
    </section>
  );
}

function hours(ms: number | null): string {
  if (ms === null) return '–';
  const h = ms / 3_600_000;
  return h < 48 ? `${h.toFixed(1)} h` : `${(h / 24).toFixed(1)} days`;
}

function FollowUps({ d }: { d: Dashboard }) {
  const f = d.followUps;
  const link = (extra: Partial<ConversationFilters>) => periodHref(d.filters, d.timeZone, extra);
  const items: [string, string, string][] = [
    ['Opened', String(f.opened), link({ followUpNeeded: true })],
    ['Resolved', String(f.resolved), link({ followUpStatus: 'done' })],
    ['Overdue', String(f.overdue), link({ followUpStatus: 'open' })],
    ['Median time to resolve', hours(f.medianResolutionMs), link({ followUpStatus: 'done' })],
  ];
  return (
    <section class="card" aria-labelledby="followups-title">
      <h2 id="followups-title">Follow-ups</h2>
      <dl class="figures">
        {items.map(([name, value, url]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>
              <a href={url}>{value}</a>
            </dd>
          </div>
        ))}
      </dl>
      <DataTable
        caption="Follow-ups in this period"
        head={['Measure', 'Value']}
        rows={items.map(([name, value]) => [name, value])}
        csv={[
          ['opened', f.opened],
          ['resolved', f.resolved],
          ['overdue', f.overdue],
          ['median_resolution_hours', f.medianResolutionMs === null ? null : f.medianResolutionMs / 3_600_000],
        ]}
        fileName="follow-ups.csv"
      />
    </section>
  );
}

export function DashboardView({ d }: { d: Dashboard }) {
  const total = d.totals.responses;
  return (
    <>
      <p class="muted period-note">
        {d.filters.from} to {d.filters.to} · {d.timeZone === 'mixed' ? 'each site in its own time zone' : `days in ${d.timeZone}`} · a click on a point or bar
        opens its transcripts
      </p>
      <Kpis d={d} />
      <div class="chart-grid">
        {METRICS.map((m) => (
          <MetricChart key={m.key} d={d} m={m} />
        ))}
      </div>
      <div class="chart-grid">
        <Volume d={d} />
        <BarList
          title="Volume by flow"
          keyName="Flow"
          rows={d.byFlow}
          total={total}
          link={(flowId) => periodHref({ ...d.filters, ...(flowId === '(none)' ? {} : { flowId }) }, d.timeZone)}
          caption="Conversations by flow"
          fileName="volume-by-flow.csv"
        />
      </div>
      <Surveys d={d} />
      <Topics d={d} />
      <div class="chart-grid">
        <Expectations d={d} />
        <FollowUps d={d} />
      </div>
    </>
  );
}

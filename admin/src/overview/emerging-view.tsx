import type { EmergingResult, ResolvedFilters } from '../../../shared/insights.ts';
import { addDays } from '../../../shared/zoned-time.ts';
import { href } from '../shell/route.ts';
import { DataTable } from './data-table.tsx';
import { transcriptsHref } from './links.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const pval = (p: number) => (p < 0.0001 ? '< 0.0001' : p.toFixed(4));

/** Topics and key phrases rising against their trailing baseline, with the test that says so. */
export function EmergingView({ e, filters, timeZone }: { e: EmergingResult; filters: ResolvedFilters; timeZone: string }) {
  const link = (t: EmergingResult['terms'][number]) =>
    transcriptsHref(filters, timeZone, { from: e.window.from, toExclusive: addDays(e.window.to, 1) }, t.kind === 'topic' ? { topic: t.name } : { q: t.name });
  return (
    <section class="card" aria-labelledby="emerging-title">
      <h2 id="emerging-title">Emerging topics</h2>
      <p class="muted small">
        {e.window.from} to {e.window.to} ({e.window.conversations} conversations) against {e.baseline.from} to {e.baseline.to} ({e.baseline.conversations}). {e.method}{' '}
        {e.tested} terms tested.
      </p>
      {e.terms.length === 0 && <p class="empty">Nothing is rising significantly right now.</p>}
      <ul class="emerging">
        {e.terms.map((t) => (
          <li key={`${t.kind}:${t.name}`} class="emerging-term">
            <div class="emerging-head">
              <a href={link(t)} class="emerging-name">
                {t.name}
              </a>
              <span class="badge">{t.kind === 'topic' ? 'topic' : 'key phrase'}</span>
              <span>
                {t.recent} conversations · {pct(t.recentShare)} now against {pct(t.baselineShare)} before · z = {t.z.toFixed(2)}, q = {pval(t.q)}
              </span>
            </div>
            <ul class="quotes">
              {t.quotes.map((q) => (
                <li key={q.conversationId}>
                  <a href={href({ name: 'conversation', id: q.conversationId })}>“{q.text}”</a>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      <DataTable
        caption="Emerging topics with their test figures"
        head={['Term', 'Kind', 'Recent', 'Baseline', 'Recent share', 'Baseline share', 'z', 'p', 'q (BH)']}
        rows={e.terms.map((t) => [t.name, t.kind, t.recent, t.baseline, pct(t.recentShare), pct(t.baselineShare), t.z.toFixed(2), pval(t.p), pval(t.q)])}
        csv={e.terms.map((t) => [t.name, t.kind, t.recent, t.baseline, t.recentShare, t.baselineShare, t.z, t.p, t.q])}
        fileName="emerging-topics.csv"
      />
    </section>
  );
}

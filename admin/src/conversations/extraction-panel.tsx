import type { Extraction } from '../api/types.ts';
import { NpsBadge, SentimentBadge } from '../ui/badges.tsx';
import { capitalize, formatDateTime, formatScore } from '../ui/format.ts';

const EXPECTATION_STATUS = { met: 'Met', unmet: 'Not met', unknown: 'Unknown' } as const;

export function ExtractionPanel({ extraction, ended }: { extraction: Extraction | null; ended: boolean }) {
  if (!extraction) {
    return (
      <section class="card panel" aria-labelledby="extraction-title">
        <h2 id="extraction-title">Analysis</h2>
        <p class="muted">{ended ? 'Analysis is running; it appears here when done.' : 'Analysis runs when the conversation ends.'}</p>
      </section>
    );
  }
  const { followUp } = extraction;
  return (
    <section class="card panel" aria-labelledby="extraction-title">
      <div class="panel-head">
        <h2 id="extraction-title">Analysis</h2>
        <span class="muted small" title={extraction.extractorVersion}>
          {extraction.extractor === 'llm' ? 'LLM' : 'Offline'}
          {extraction.fellBack ? ' (fallback)' : ''} · {formatDateTime(extraction.createdAt)}
        </span>
      </div>

      {extraction.summary && <p class="summary">{extraction.summary}</p>}

      <dl class="facts">
        <dt>Ratings</dt>
        <dd>
          {extraction.ratings.length === 0 && <span class="muted">None</span>}
          {extraction.ratings.map((r, i) => (
            <span key={i} class="rating">
              <strong>{r.value}</strong>
              <span class="muted">
                /{r.scaleMax} {r.type.toUpperCase()}
                {r.inferred ? ' · inferred' : ''}
              </span>
            </span>
          ))}
        </dd>
        <dt>NPS</dt>
        <dd>{extraction.npsCategory ? <NpsBadge category={extraction.npsCategory} /> : <span class="muted">—</span>}</dd>
        <dt>Sentiment</dt>
        <dd>
          <SentimentBadge label={extraction.sentiment.label} />{' '}
          <span class="muted small">{formatScore(extraction.sentiment.score)}</span>
        </dd>
        <dt>Topics</dt>
        <dd>
          {extraction.topics.length === 0 && <span class="muted">None</span>}
          {extraction.topics.map((t) => (
            <span key={t.name} class="chip" title={`score ${t.score.toFixed(2)}`}>
              {t.name}
            </span>
          ))}
          {extraction.keyPhrases.map((p) => (
            <span key={p} class="chip ghost">
              {p}
            </span>
          ))}
        </dd>
      </dl>

      {extraction.expectations.length > 0 && (
        <>
          <h3>Expectations</h3>
          <ul class="expectations">
            {extraction.expectations.map((e, i) => (
              <li key={i}>
                <span class={`badge exp-${e.status}`}>{EXPECTATION_STATUS[e.status]}</span>
                <span class="muted small">{e.kind.replace('_', ' ')}</span> {e.text}
              </li>
            ))}
          </ul>
        </>
      )}

      <h3>Follow-up</h3>
      {followUp.needed ? (
        <div class="follow-up-box">
          <p>
            <span class={`badge urgency-${followUp.urgency ?? 'medium'}`}>{capitalize(followUp.urgency ?? 'needed')}</span> {followUp.reason}
          </p>
          {(followUp.contact.email || followUp.contact.phone) && (
            <p class="contact">
              {followUp.contact.email && <a href={`mailto:${followUp.contact.email}`}>{followUp.contact.email}</a>}
              {followUp.contact.email && followUp.contact.phone && ' · '}
              {followUp.contact.phone && <span>{followUp.contact.phone}</span>}
            </p>
          )}
        </div>
      ) : (
        <p class="muted">Not needed</p>
      )}
    </section>
  );
}

import type { NpsCategory, SentimentLabel } from '../api/types.ts';

const NPS_LABEL: Record<NpsCategory, string> = { promoter: 'Promoter', passive: 'Passive', detractor: 'Detractor' };
const SENTIMENT_LABEL: Record<SentimentLabel, string> = { positive: 'Positive', neutral: 'Neutral', negative: 'Negative' };

export function NpsBadge({ category }: { category: NpsCategory | null }) {
  if (!category) return null;
  return <span class={`badge nps-${category}`}>{NPS_LABEL[category]}</span>;
}

export function SentimentBadge({ label }: { label: SentimentLabel | null }) {
  if (!label) return null;
  return <span class={`badge sentiment-${label}`}>{SENTIMENT_LABEL[label]}</span>;
}

export function StatusBadge({ status, mode }: { status: 'open' | 'ended'; mode: 'bot' | 'human' }) {
  if (status === 'ended') return <span class="badge muted">Ended</span>;
  return <span class={`badge live ${mode === 'human' ? 'human' : ''}`}>{mode === 'human' ? 'Live · agent' : 'Live'}</span>;
}

/** a dot coloured by a -1..1 sentiment score, with the number for screen readers and hover */
export function SentimentDot({ score }: { score: number }) {
  const label = score > 0.2 ? 'positive' : score < -0.2 ? 'negative' : 'neutral';
  return (
    <span class={`sentiment-dot ${label}`} title={`Sentiment ${score.toFixed(2)}`} aria-label={`Sentiment ${label} (${score.toFixed(2)})`} role="img" />
  );
}

/**
 * A two-sentence summary built from the extraction itself: what the visitor said overall (rating,
 * sentiment, topics), then the point that matters most (the follow-up, or their most telling sentence).
 */
import type { Extraction } from '../../../shared/extraction.ts';

const quote = (s: string) => `"${s.length > 140 ? `${s.slice(0, 137)}...` : s}"`;

export function summarize(e: Omit<Extraction, 'summary'>, telling: string | null): string {
  const rating = e.ratings.find((r) => !r.inferred) ?? null;
  const parts: string[] = [];
  parts.push(`The visitor was ${e.sentiment.label}`);
  if (rating) parts.push(` (${rating.type.toUpperCase()} ${rating.value} of ${rating.scaleMax}${e.npsCategory ? `, ${e.npsCategory}` : ''})`);
  if (e.topics.length) parts.push(` about ${e.topics.map((t) => t.name).join(', ')}`);
  else if (e.keyPhrases.length) parts.push(` about ${e.keyPhrases.slice(0, 2).join(', ')}`);
  const first = `${parts.join('')}.`;
  let second: string;
  if (e.followUp.needed) second = `Follow up (${e.followUp.urgency}): ${e.followUp.reason}.`;
  else if (telling) second = `In their words: ${quote(telling)}`;
  else second = 'No follow-up is needed.';
  return `${first} ${second}`;
}

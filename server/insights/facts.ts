/**
 * One conversation's extraction as a fact row for the dashboard: its NPS/CSAT/CES on fixed
 * scales, sentiment, language, topics and key phrases, expectations, whether a follow-up is
 * wanted and a representative quote.
 */
import type { Extraction, Rating } from '../../shared/extraction.ts';
import { detectLanguage } from '../text/language.ts';
import type { FactContext, FactRow } from '../store/insight-facts.ts';

/** answered ratings first, then the most confident inferred one */
function pick(ratings: Rating[], type: Rating['type']): Rating | null {
  const of = ratings.filter((r) => r.type === type);
  return of.find((r) => !r.inferred) ?? of.sort((a, b) => b.confidence - a.confidence)[0] ?? null;
}

/** a rating moved onto the scale [lo, hi] */
function onScale(r: Rating | null, lo: number, hi: number): number | null {
  if (!r || !(r.scaleMax > r.scaleMin)) return null;
  const v = lo + ((r.value - r.scaleMin) * (hi - lo)) / (r.scaleMax - r.scaleMin);
  return Math.min(hi, Math.max(lo, Math.round(v * 100) / 100));
}

const QUOTE_MAX = 280;

/** the visitor message that says the most (not a bare number or a one-word reply) */
export function representativeQuote(texts: string[]): string | null {
  let best: string | null = null;
  for (const t of texts) {
    const text = t.trim();
    if (text.split(/\s+/).length < 3) continue;
    if (best === null || text.length > best.length) best = text;
  }
  if (best === null) return null;
  return best.length > QUOTE_MAX ? `${best.slice(0, QUOTE_MAX - 1).trimEnd()}…` : best;
}

/** the language the extraction reports (issue 8 adds it), else detected from the visitor's words */
function languageOf(extraction: Extraction, texts: string[]): string | null {
  const given: unknown = Object.getOwnPropertyDescriptor(extraction, 'language')?.value;
  if (typeof given === 'string' && /^(en|de|fr|es)$/.test(given)) return given;
  const text = texts.join('\n');
  if (text.trim().length < 8) return null;
  return detectLanguage(text).lang;
}

export function buildFacts(extraction: Extraction, ctx: FactContext): FactRow {
  const nps = pick(extraction.ratings, 'nps');
  const terms: FactRow['terms'] = [];
  const seen = new Set<string>();
  const addTerm = (kind: 'topic' | 'phrase', raw: string) => {
    const name = kind === 'phrase' ? raw.trim().toLowerCase() : raw.trim();
    const key = `${kind}\u0000${name.toLowerCase()}`;
    if (!name || name.length > 80 || seen.has(key)) return;
    seen.add(key);
    terms.push({ kind, name });
  };
  for (const t of extraction.topics) addTerm('topic', t.name);
  for (const p of extraction.keyPhrases) addTerm('phrase', p);
  const followUp = extraction.followUp.needed || ctx.needsHuman;
  const completed = ctx.endReason === 'completed';
  // where an unfinished survey stopped: its latest answer
  const lastId = completed ? null : ([...ctx.answers].sort((a, b) => b.answeredAt - a.answeredAt)[0]?.questionId ?? null);
  return {
    conversationId: extraction.conversationId,
    siteId: ctx.siteId,
    flowId: ctx.flowId,
    source: ctx.source,
    lang: languageOf(extraction, ctx.visitorTexts),
    startedAt: ctx.startedAt,
    completed,
    nps: nps ? Math.min(10, Math.max(0, Math.round(nps.value))) : null,
    csat: onScale(pick(extraction.ratings, 'csat'), 1, 5),
    ces: onScale(pick(extraction.ratings, 'ces'), 1, 7),
    sentiment: extraction.sentiment.score,
    sentimentLabel: extraction.sentiment.label,
    followUp,
    urgency: followUp ? extraction.followUp.urgency : null,
    openedAt: followUp ? ctx.endedAt ?? extraction.createdAt : null,
    followUpStatus: ctx.followUpStatus,
    resolvedAt: ctx.resolvedAt,
    quote: representativeQuote(ctx.visitorTexts),
    terms,
    expectations: extraction.expectations.map((x) => ({ kind: x.kind, status: x.status, text: x.text.slice(0, 400) })),
    answers: ctx.answers.map((a) => ({ questionId: a.questionId, answered: a.answered, last: a.questionId === lastId })),
  };
}

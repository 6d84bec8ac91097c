/**
 * The offline answer from a knowledge-base entry: the paragraphs that share the most words with
 * the question (in the entry's own order), so a long article is not pasted whole. Words are
 * compared as stems in all four languages (plus the shop glossary), so a German question picks
 * the right paragraph of an English article.
 */
import type { KbEntry } from '../../shared/flow.ts';
import type { WidgetLang } from '../../shared/widget-i18n/langs.ts';
import { documentTerms, queryTokens } from './kb-terms.ts';

interface Paragraphs {
  texts: string[];
  /** each paragraph's terms */
  terms: Set<string>[];
}

/** an entry's paragraphs and their terms, once per entry object (an edited entry is a new object) */
const cache = new WeakMap<KbEntry, Paragraphs>();
function paragraphsOf(entry: KbEntry): Paragraphs {
  let p = cache.get(entry);
  if (!p) {
    const texts = entry.body
      .split(/\n\s*\n/)
      .map((t) => t.trim())
      .filter(Boolean);
    p = { texts, terms: texts.map((t) => new Set(documentTerms(t))) };
    cache.set(entry, p);
  }
  return p;
}

function overlap(terms: Set<string>, stems: string[][]): number {
  return stems.filter((s) => s.some((x) => terms.has(x))).length;
}

export function relevantText(entry: KbEntry, question: string, lang: WidgetLang = 'en', maxParagraphs = 2): string {
  const { texts: paragraphs, terms } = paragraphsOf(entry);
  if (paragraphs.length <= maxParagraphs) return paragraphs.join('\n\n');
  const stems = queryTokens(question, lang).map((t) => t.stems);
  const scored = paragraphs.map((text, i) => ({ text, i, score: overlap(terms[i] ?? new Set<string>(), stems) }));
  const best = scored
    .filter((p) => p.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, maxParagraphs)
    .sort((a, b) => a.i - b.i);
  return (best.length > 0 ? best : scored.slice(0, 1)).map((p) => p.text).join('\n\n');
}

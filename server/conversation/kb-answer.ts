/**
 * The offline answer from a knowledge-base entry: the paragraphs that share the most words with
 * the question (in the entry's own order), so a long article is not pasted whole.
 */
import type { KbEntry } from '../../shared/flow.ts';
import { contentTerms } from './text-terms.ts';

function overlap(paragraph: string, terms: Set<string>): number {
  return new Set(contentTerms(paragraph).filter((t) => terms.has(t))).size;
}

export function relevantText(entry: KbEntry, question: string, maxParagraphs = 2): string {
  const paragraphs = entry.body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (paragraphs.length <= maxParagraphs) return paragraphs.join('\n\n');
  const terms = new Set(contentTerms(question));
  const scored = paragraphs.map((text, i) => ({ text, i, score: overlap(text, terms) }));
  const best = scored
    .filter((p) => p.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, maxParagraphs)
    .sort((a, b) => a.i - b.i);
  return (best.length > 0 ? best : scored.slice(0, 1)).map((p) => p.text).join('\n\n');
}

export function offlineKbAnswer(entry: KbEntry, question: string): string {
  return `Here’s what I found about “${entry.title}”:\n\n${relevantText(entry, question)}`;
}

/**
 * The support retriever as it was before issue 8 (commit deed4ef): minisearch BM25 over English
 * word forms, "no answer" below a fixed score of 3, no memory of the previous question. Kept only
 * as the baseline that bench/support.ts measures beside the current retriever in the same run.
 */
import { createHash } from 'node:crypto';
import MiniSearch from 'minisearch';
import type { KbEntry } from '../../shared/flow.ts';

const STOP_WORDS = new Set(
  ('a an and are as at be been but by can could do does did for from have has had how i if in into is it its me my ' +
    'no not of on or our so than that the their them then there these they this to up us was we were what when where ' +
    'which who why will with would you your yours am im ive id get got want need please hi hello hey thanks thank ' +
    'there any some just about tell know much many long').split(' '),
);

function stem(word: string): string {
  if (word.length <= 4) return word;
  return word
    .replace(/(ies)$/, 'y')
    .replace(/(ing|ed|es|s)$/, '')
    .replace(/(.)\1$/, '$1');
}

/** null drops the term (the shape minisearch's processTerm wants) */
function processTerm(term: string): string | null {
  const w = term.toLowerCase().replace(/[’']/g, '').replace(/[^a-z0-9£$€]/g, '');
  if (!w || STOP_WORDS.has(w)) return null;
  return stem(w);
}

interface KbHit {
  entry: KbEntry;
  score: number;
  /** query terms (processed) that matched this entry */
  matched: string[];
}

interface KnowledgeBase {
  search(siteId: string, query: string, limit?: number): KbHit[];
}

interface SiteIndex {
  signature: string;
  index: MiniSearch<KbEntry>;
  byId: Map<string, KbEntry>;
}

function signatureOf(entries: KbEntry[]): string {
  const h = createHash('sha1');
  for (const e of entries) h.update(`${e.id}\u0000${e.title}\u0000${e.body}\u0000${e.tags.join(',')}\u0001`);
  return h.digest('hex');
}

function build(entries: KbEntry[]): SiteIndex {
  const index = new MiniSearch<KbEntry>({
    fields: ['title', 'body', 'tags'],
    extractField: (doc, field) => (field === 'tags' ? doc.tags.join(' ') : String(doc[field as keyof KbEntry] ?? '')),
    processTerm,
    searchOptions: { boost: { title: 2, tags: 2 }, fuzzy: (term) => (term.length > 5 ? 0.2 : false), prefix: (term) => term.length > 4 },
  });
  index.addAll(entries);
  return { signature: signatureOf(entries), index, byId: new Map(entries.map((e) => [e.id, e])) };
}

export function createKnowledgeBase(list: (siteId: string) => KbEntry[]): KnowledgeBase {
  const cache = new Map<string, SiteIndex>();
  return {
    search(siteId, query, limit = 3) {
      const entries = list(siteId);
      let site = cache.get(siteId);
      if (!site || site.signature !== signatureOf(entries)) {
        site = build(entries);
        cache.set(siteId, site);
      }
      const current = site;
      return current.index
        .search(query)
        .slice(0, limit)
        .flatMap((r) => {
          const entry = current.byId.get(String(r.id));
          return entry ? [{ entry, score: r.score, matched: r.queryTerms }] : [];
        });
    },
  };
}

/** BM25 scores below this were word-level coincidences, not answers (support-runner.ts at deed4ef) */
export const MIN_SCORE = 3;

/** the entry the old support runner answered with, or null for "I don't know" */
export function answerV1(kb: KnowledgeBase, siteId: string, question: string): string | null {
  const top = kb.search(siteId, question, 3).find((h) => h.score >= MIN_SCORE);
  return top ? top.entry.id : null;
}

/**
 * BM25 search over a site's knowledge-base entries (minisearch). The index is cached per site and
 * rebuilt when the entries' content changes, so editing an entry takes effect on the next search.
 */
import { createHash } from 'node:crypto';
import MiniSearch from 'minisearch';
import type { KbEntry } from '../../shared/flow.ts';
import { processTerm } from './text-terms.ts';

export interface KbHit {
  entry: KbEntry;
  score: number;
  /** query terms (processed) that matched this entry */
  matched: string[];
}

export interface KnowledgeBase {
  search(siteId: string, query: string, limit?: number): KbHit[];
}

interface SiteIndex {
  signature: string;
  /** the list the index was last checked against: the store hands back the same array until an entry changes */
  entries: KbEntry[];
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
  return { signature: signatureOf(entries), entries, index, byId: new Map(entries.map((e) => [e.id, e])) };
}

export function createKnowledgeBase(list: (siteId: string) => KbEntry[]): KnowledgeBase {
  const cache = new Map<string, SiteIndex>();
  return {
    search(siteId, query, limit = 3) {
      const entries = list(siteId);
      let site = cache.get(siteId);
      // hashing every entry on every search was a visible share of a support turn: only a list
      // that is not the one checked last time is hashed
      if (!site || (site.entries !== entries && site.signature !== signatureOf(entries))) {
        site = build(entries);
        cache.set(siteId, site);
      } else site.entries = entries;
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

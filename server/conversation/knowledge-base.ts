/**
 * BM25 search over a site's knowledge-base entries in four languages, with a measure of how much
 * of the question an entry covers. The index is cached per site and rebuilt when the entries'
 * content changes, so editing an entry takes effect on the next search.
 *
 * Matching, per question word: one of its stems is an entry term; else (words of 6+ letters) a
 * compound part in German ("Versandkosten" meets "Versand") or a one-letter typo, at a discount.
 */
import { createHash } from 'node:crypto';
import type { KbEntry } from '../../shared/flow.ts';
import type { WidgetLang } from '../../shared/widget-i18n/langs.ts';
import { documentTerms, phraseStems, queryTokens, tagVocabulary, type QueryToken } from './kb-terms.ts';

export interface KbHit {
  entry: KbEntry;
  /** BM25 */
  score: number;
  /** question words (folded) found in this entry */
  matched: string[];
  /** share of the question's weight (idf) this entry covers, 0..1 */
  coverage: number;
  /** summed idf of the question words this entry covers */
  mass: number;
}

export interface KbSearch {
  hits: KbHit[];
  /** content words in the question (after stop words) */
  words: number;
  /** question words no entry contains */
  unknown: string[];
}

export interface KnowledgeBase {
  /** the best entries, best first (only entries that share a word with the question) */
  search(siteId: string, query: string, limit?: number, lang?: WidgetLang): KbHit[];
  /** search plus what the question holds that the knowledge base does not know */
  lookup(siteId: string, query: string, lang: WidgetLang, limit?: number): KbSearch;
  /** the site's entries as indexed (for embedding them) */
  entries(siteId: string): KbEntry[];
  /**
   * read the site's entries (one store call) so that the searches after it see the current
   * ones; with an asynchronous source, searches use what the last load read
   */
  load(siteId: string): Promise<void>;
}

/** the weight of a question word no entry contains, as a share of the highest idf (calibrated) */
export const UNKNOWN_WORD_WEIGHT = 1;
/** a name or place the knowledge base does not know weighs less than another unknown word */
const UNKNOWN_NAME_WEIGHT = 0.2;
const K1 = 1.2;
const B = 0.75;
/** title and tags say what an entry is about: their words count this many times */
const FIELD_BOOST = 2;
const COMPOUND_DISCOUNT = 0.7;
const TYPO_DISCOUNT = 0.8;
/** words about time and money ("how long", "what does it cost") say less about the topic */
const ATTRIBUTE_WEIGHT = 0.5;
/** added to the score per word of a multi-word tag the question holds whole ("send back") */
const PHRASE_BONUS = 0.5;
/** remembered vocabulary scans per index */
const NEAR_LIMIT = 5_000;

interface Doc {
  entry: KbEntry;
  tf: Map<string, number>;
  length: number;
  /** multi-word tags, each word as its stems */
  phrases: string[][][];
}

interface SiteIndex {
  signature: string;
  /** the list the index was last checked against: the store hands back the same array until an entry changes */
  entries: KbEntry[];
  docs: Doc[];
  /** term -> number of entries containing it */
  df: Map<string, number>;
  avgLength: number;
  /** the terms, for compound and typo matching */
  vocabulary: string[];
  /** words of the entries' tags that are never stop words here */
  keep: Set<string>;
  /** compound and typo matches found by scanning the vocabulary, per question word (bounded) */
  near: Map<string, Map<string, number>>;
}

function signatureOf(entries: KbEntry[]): string {
  const h = createHash('sha1');
  for (const e of entries) h.update(`${e.id}\u0000${e.title}\u0000${e.body}\u0000${e.tags.join(',')}\u0001`);
  return h.digest('hex');
}

function build(entries: KbEntry[]): SiteIndex {
  const df = new Map<string, number>();
  const keep = tagVocabulary(entries.flatMap((e) => e.tags));
  const docs = entries.map((entry) => {
    const tf = new Map<string, number>();
    const add = (terms: string[], weight: number) => {
      for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + weight);
    };
    add(documentTerms(entry.title, keep), FIELD_BOOST);
    add(documentTerms(entry.tags.join(' , '), keep), FIELD_BOOST);
    add(documentTerms(entry.body, keep), 1);
    for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    let length = 0;
    for (const n of tf.values()) length += n;
    const phrases = entry.tags.map((t) => phraseStems(t, keep)).filter((p) => p.length > 1);
    return { entry, tf, length, phrases };
  });
  const avgLength = docs.reduce((s, d) => s + d.length, 0) / Math.max(1, docs.length);
  return { signature: signatureOf(entries), entries, docs, df, avgLength, vocabulary: [...df.keys()], keep, near: new Map() };
}

function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else if (a[i + 1] === b[j] && a[i] === b[j + 1]) {
      // swapped letters
      i += 2;
      j += 2;
    } else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

/** the index terms a question word stands for, each with how sure the match is */
function termsFor(site: SiteIndex, token: QueryToken, lang: WidgetLang): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of token.stems) if (site.df.has(s)) out.set(s, 1);
  if (out.size > 0 || token.word.length < 6) return out;
  // a scan of the whole vocabulary per word: remembered per index, so a repeated word costs a lookup
  const key = `${lang}\u0000${token.word}\u0000${token.stems.join('\u0000')}`;
  const known = site.near.get(key);
  if (known) return new Map(known);
  const compounds = lang === 'de';
  for (const term of site.vocabulary) {
    if (compounds && term.length >= 5 && (token.word.startsWith(term) || token.word.endsWith(term) || term.startsWith(token.word))) out.set(term, COMPOUND_DISCOUNT);
    else if (term.length >= 6 && token.stems.some((s) => s.length >= 6 && withinOneEdit(s, term))) out.set(term, TYPO_DISCOUNT);
  }
  if (site.near.size >= NEAR_LIMIT) site.near.clear();
  site.near.set(key, new Map(out));
  return out;
}

function idf(site: SiteIndex, df: number): number {
  const n = site.docs.length;
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

function lookupIn(site: SiteIndex, query: string, lang: WidgetLang, limit: number, unknownWeight: number): KbSearch {
  const tokens = queryTokens(query, lang, site.keep);
  const maxIdf = idf(site, 0);
  const unknown: string[] = [];
  let total = 0;
  const perToken = tokens.map((token) => {
    const terms = termsFor(site, token, lang);
    const scale = token.attribute ? ATTRIBUTE_WEIGHT : 1;
    const weights = [...terms].map(([t, sure]) => ({ t, sure: sure * scale, idf: idf(site, site.df.get(t) ?? 0) }));
    // a time or money word the knowledge base has no word for ("today", "früh") says nothing about the topic
    const unknownCost = token.attribute ? 0 : maxIdf * (token.name ? UNKNOWN_NAME_WEIGHT : unknownWeight);
    const weight = weights.length ? Math.max(...weights.map((w) => w.idf * w.sure)) : unknownCost;
    if (!weights.length) unknown.push(token.word);
    total += weight;
    return { token, weights };
  });
  const hits: KbHit[] = [];
  for (const doc of site.docs) {
    let score = 0;
    let mass = 0;
    const matched: string[] = [];
    for (const { token, weights } of perToken) {
      let best = 0;
      let bestMass = 0;
      for (const w of weights) {
        const tf = doc.tf.get(w.t);
        if (!tf) continue;
        const s = w.sure * w.idf * ((tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * doc.length) / site.avgLength)));
        if (s > best) [best, bestMass] = [s, w.idf * w.sure];
      }
      if (best > 0) {
        score += best;
        mass += bestMass;
        matched.push(token.word);
      }
    }
    for (const phrase of doc.phrases) {
      if (phrase.every((stems) => tokens.some((t) => t.stems.some((s) => stems.includes(s))))) score += PHRASE_BONUS * phrase.length;
    }
    if (score > 0) hits.push({ entry: doc.entry, score, matched, mass, coverage: total > 0 ? mass / total : 0 });
  }
  hits.sort((a, b) => b.score - a.score || b.coverage - a.coverage);
  return { hits: hits.slice(0, limit), words: tokens.length, unknown };
}

/**
 * `list` is the site's entries: a synchronous source (files, tests) is read on every search, an
 * asynchronous one (the store) by `load`, which a turn calls once before it searches.
 */
export function createKnowledgeBase(list: (siteId: string) => KbEntry[] | Promise<KbEntry[]>, unknownWeight = UNKNOWN_WORD_WEIGHT): KnowledgeBase {
  const cache = new Map<string, SiteIndex>();
  const loaded = new Map<string, KbEntry[]>();
  const current = (siteId: string): KbEntry[] => {
    const got = loaded.get(siteId);
    if (got) return got;
    const entries = list(siteId);
    if (Array.isArray(entries)) return entries;
    // a caller forgot load(): failing loudly beats answering "don't know" from an empty index
    entries.catch(() => undefined);
    throw new Error(`knowledge base of site ${siteId} searched before load()`);
  };
  const indexOf = (siteId: string): SiteIndex => {
    const entries = current(siteId);
    let site = cache.get(siteId);
    // hashing every entry on every search was a visible share of a support turn: only a list
    // that is not the one checked last time is hashed
    if (!site || (site.entries !== entries && site.signature !== signatureOf(entries))) {
      site = build(entries);
      cache.set(siteId, site);
    } else site.entries = entries;
    return site;
  };
  return {
    search(siteId, query, limit = 3, lang = 'en') {
      return lookupIn(indexOf(siteId), query, lang, limit, unknownWeight).hits;
    },
    lookup(siteId, query, lang, limit = 3) {
      return lookupIn(indexOf(siteId), query, lang, limit, unknownWeight);
    },
    entries(siteId) {
      return indexOf(siteId).docs.map((d) => d.entry);
    },
    async load(siteId) {
      const entries = list(siteId);
      // a synchronous source is read on every search anyway
      if (Array.isArray(entries)) return;
      loaded.set(siteId, await entries);
    },
  };
}

/**
 * Hybrid knowledge-base ranking: BM25 (knowledge-base.ts) fused with cosine similarity over
 * embeddings of the entries, when the configured server offers `/v1/embeddings`. Whether it does
 * is probed by the first call and remembered per client: a 404 (or 400/405/501) means "no
 * embeddings here" and every later search is BM25 only, without asking again. Entry vectors are
 * cached by content, so an edited entry is embedded again and an unchanged one never is.
 * A failed query embedding (timeout, network) only costs this turn its hybrid ranking.
 */
import { createHash } from 'node:crypto';
import type { KbEntry } from '../../shared/flow.ts';
import { LlmError, type LlmClient } from '../llm/types.ts';
import type { Logger } from '../logger.ts';
import type { KbHit } from './knowledge-base.ts';

type Embed = (texts: string[]) => Promise<number[][]>;

interface EmbeddingState {
  /** null until the first call answers */
  supported: boolean | null;
  vectors: Map<string, number[]>;
}

const states = new WeakMap<LlmClient, EmbeddingState>();

/** the server has no embeddings route (or no such model): do not ask again */
function meansUnsupported(err: unknown): boolean {
  return err instanceof LlmError && err.failure === 'http' && [400, 404, 405, 501].includes(err.status ?? 0);
}

const entryText = (e: KbEntry) => `${e.title}\n${e.tags.join(', ')}\n${e.body}`;
const keyOf = (text: string) => createHash('sha1').update(text).digest('hex');

/** an entry's cache key, hashed once per entry object (the store hands back new objects for an edited entry) */
const entryKeys = new WeakMap<KbEntry, string>();
function keyOfEntry(e: KbEntry): string {
  let key = entryKeys.get(e);
  if (key === undefined) {
    key = keyOf(entryText(e));
    entryKeys.set(e, key);
  }
  return key;
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** whether the last probe found embeddings (null: not probed yet) */
export function embeddingsSupported(llm: LlmClient): boolean | null {
  return states.get(llm)?.supported ?? (llm.embed ? null : false);
}

export interface RankedEntry {
  entry: KbEntry;
  /** cosine similarity to the question */
  similarity: number;
}

/**
 * Entries by similarity to the question, or null when embeddings are not available (no `embed`,
 * the server has no route, or this call failed).
 */
export async function rankByEmbedding(llm: LlmClient | null, entries: KbEntry[], question: string, log: Logger): Promise<RankedEntry[] | null> {
  if (!llm?.embed || entries.length === 0) return null;
  const embed: Embed = (texts) => (llm.embed ? llm.embed(texts) : Promise.reject(new Error('no embeddings')));
  let state = states.get(llm);
  if (!state) {
    state = { supported: null, vectors: new Map() };
    states.set(llm, state);
  }
  if (state.supported === false) return null;
  try {
    const keys = entries.map(keyOfEntry);
    const missing = new Map<string, string>();
    entries.forEach((e, i) => {
      const key = keys[i] ?? '';
      if (!state.vectors.has(key) && !missing.has(key)) missing.set(key, entryText(e));
    });
    const vectors = await embed([question, ...missing.values()]);
    [...missing.keys()].forEach((key, i) => {
      const v = vectors[i + 1];
      if (v) state.vectors.set(key, v);
    });
    state.supported = true;
    const q = vectors[0] ?? [];
    return entries.map((entry, i) => ({ entry, similarity: cosine(q, state.vectors.get(keys[i] ?? '') ?? []) })).sort((a, b) => b.similarity - a.similarity);
  } catch (err) {
    if (meansUnsupported(err)) {
      state.supported = false;
      log.info({ status: err instanceof LlmError ? err.status : undefined }, 'the LLM server offers no embeddings; knowledge-base search stays keyword-only');
    } else {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'embedding the question failed; keyword search only for this turn');
    }
    return null;
  }
}

/**
 * Entries by similarity to one entry, from vectors already cached: no request. For a question the
 * offline reader already answers confidently, that entry stands in for the question, so the
 * answer's stream request goes out at once. Null when embeddings are off or not probed yet, or
 * any entry (the knowledge base was edited) has no vector yet: the caller then asks the server.
 */
export function rankByEntry(llm: LlmClient | null, entries: KbEntry[], to: KbEntry): RankedEntry[] | null {
  if (!llm?.embed) return null;
  const state = states.get(llm);
  if (state?.supported !== true) return null;
  const target = state.vectors.get(keyOfEntry(to));
  if (!target) return null;
  const ranked: RankedEntry[] = [];
  for (const entry of entries) {
    const v = state.vectors.get(keyOfEntry(entry));
    if (!v) return null;
    ranked.push({ entry, similarity: cosine(target, v) });
  }
  return ranked.sort((a, b) => b.similarity - a.similarity);
}

/** reciprocal-rank fusion: robust to BM25 and cosine living on different scales */
const RRF_K = 60;

/**
 * The entries to show a model: BM25 hits and embedding neighbours fused by rank. Entries only
 * the embeddings found come back as hits with no matched words (score 0, coverage 0).
 */
export function fuse(bm25: KbHit[], ranked: RankedEntry[], limit: number): KbHit[] {
  const fused = new Map<string, { hit: KbHit; score: number }>();
  bm25.forEach((hit, i) => fused.set(hit.entry.id, { hit, score: 1 / (RRF_K + i + 1) }));
  ranked.forEach((r, i) => {
    const cur = fused.get(r.entry.id) ?? { hit: { entry: r.entry, score: 0, matched: [], coverage: 0, mass: 0 }, score: 0 };
    fused.set(r.entry.id, { hit: cur.hit, score: cur.score + 1 / (RRF_K + i + 1) });
  });
  return [...fused.values()]
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((f) => f.hit);
}

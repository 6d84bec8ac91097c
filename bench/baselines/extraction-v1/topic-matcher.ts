/**
 * Assigns text to a site's topics when each topic is defined by a name, a description and example
 * phrases (as Thematic and Enterpret do): every example is a document in a TF-IDF index, and a text
 * goes to the topics of its nearest examples (weighted kNN). Features are Porter2 stems, stem
 * bigrams and character trigrams of words, which keep "refund"/"refunded"/"refnd" close.
 */
import type { Topic } from '../../../shared/site.ts';
import { wordTokens } from './nlp.ts';

export interface TopicScore {
  name: string;
  /** share of the neighbours' vote, discounted when the closest example is only loosely similar; in [0, 1] */
  score: number;
}

export interface TopicMatcherOptions {
  /** neighbours that vote; default scales with examples per topic (half of them, 3 to 20) */
  k?: number;
  /** a neighbour's vote is similarity^power: close examples count far more than loose ones */
  power?: number;
  /** below this cosine similarity nothing is close enough to name a topic */
  minSimilarity?: number;
}

type Vec = Map<string, number>;

/** cosine similarity at which a nearest example counts as fully convincing */
const CONFIDENT_SIMILARITY = 0.5;

export function topicFeatures(text: string): string[] {
  const words = wordTokens(text.toLowerCase()).filter((t) => t.pos !== 'PUNCT');
  const out: string[] = [];
  for (const w of words) {
    out.push(w.stem);
    const padded = `#${w.normal}#`;
    for (let i = 0; i + 3 <= padded.length; i++) out.push(`c:${padded.slice(i, i + 3)}`);
  }
  for (let i = 0; i + 1 < words.length; i++) out.push(`${words[i]!.stem}_${words[i + 1]!.stem}`);
  return out;
}

/** The k largest [index, value] pairs, best first (one pass, k is small). */
function topK(values: Float64Array, k: number): [number, number][] {
  const best: [number, number][] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v <= 0 || (best.length === k && v <= best[k - 1]![1])) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]![1] < v) at--;
    best.splice(at, 0, [i, v]);
    if (best.length > k) best.pop();
  }
  return best;
}

export function createTopicMatcher(topics: Topic[], opts: TopicMatcherOptions = {}) {
  const examplesPerTopic = topics.reduce((n, t) => n + t.examples.length + 2, 0) / Math.max(1, topics.length);
  const k = opts.k ?? Math.min(20, Math.max(3, Math.round(examplesPerTopic / 2)));
  const power = opts.power ?? 2;
  const minSimilarity = opts.minSimilarity ?? 0.2;
  const docs: { topic: string; features: string[] }[] = [];
  for (const t of topics) {
    for (const ex of [t.name, t.description, ...t.examples]) {
      if (ex.trim()) docs.push({ topic: t.name, features: topicFeatures(ex) });
    }
  }
  const df = new Map<string, number>();
  for (const d of docs) for (const f of new Set(d.features)) df.set(f, (df.get(f) ?? 0) + 1);
  const n = docs.length;
  const idf = (f: string) => Math.log((n + 1) / ((df.get(f) ?? 0) + 1)) + 1;

  function vectorize(features: string[]): Vec {
    const v: Vec = new Map();
    for (const f of features) v.set(f, (v.get(f) ?? 0) + 1);
    let norm = 0;
    for (const [f, c] of v) {
      const x = (1 + Math.log(c)) * idf(f);
      v.set(f, x);
      norm += x * x;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [f, x] of v) v.set(f, x / norm);
    return v;
  }

  const postings = new Map<string, [number, number][]>();
  docs.forEach((d, i) => {
    for (const [f, x] of vectorize(d.features)) {
      let list = postings.get(f);
      if (!list) postings.set(f, (list = []));
      list.push([i, x]);
    }
  });

  return {
    /** topics ranked by vote share; empty when no example is similar enough */
    match(text: string): TopicScore[] {
      const sims = new Float64Array(docs.length);
      for (const [f, x] of vectorize(topicFeatures(text))) {
        for (const [i, y] of postings.get(f) ?? []) sims[i]! += x * y;
      }
      const nearest = topK(sims, k);
      if (!nearest.length || nearest[0]![1] < minSimilarity) return [];
      const votes = new Map<string, number>();
      const closest = new Map<string, number>();
      let total = 0;
      for (const [i, s] of nearest) {
        const topic = docs[i]!.topic;
        const v = s ** power;
        votes.set(topic, (votes.get(topic) ?? 0) + v);
        closest.set(topic, Math.max(closest.get(topic) ?? 0, s));
        total += v;
      }
      // A topic's score is its share of the vote, scaled down when even its closest example is
      // only loosely similar: one shared word ("back" in "call me back" / "back in stock") is weak evidence.
      return [...votes]
        .map(([name, v]) => ({ name, score: (total > 0 ? v / total : 0) * Math.min(1, (closest.get(name) ?? 0) / CONFIDENT_SIMILARITY) }))
        .sort((a, b) => b.score - a.score);
    },
  };
}
export type TopicMatcher = ReturnType<typeof createTopicMatcher>;

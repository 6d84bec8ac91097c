/**
 * Emergent key phrases: noun phrases (wink POS tags: adjectives/nouns ending in a noun) ranked by
 * frequency and length, minus those that already fit a listed topic.
 */
import { wordTokens } from './nlp.ts';

const HEAD = new Set(['NOUN', 'PROPN']);
const MODIFIER = new Set(['ADJ', 'NOUN', 'PROPN']);
// Nouns that carry no subject on their own in a chat.
const GENERIC = new Set(['thing', 'things', 'lot', 'bit', 'time', 'way', 'day', 'today', 'yes', 'no', 'ok', 'okay', 'thanks', 'hi', 'hello', 'please', 'question', 'answer', 'problem', 'issue']);

// Markup and links a visitor pasted are not what they talked about ("emails img src onerror").
const NOT_PROSE = /<[^>]*>|\bhttps?:\/\/\S+|\bwww\.\S+/gi;

export function nounPhrases(text: string): string[] {
  const tokens = wordTokens(text.replace(NOT_PROSE, ' . '));
  const out: string[] = [];
  let run: { normal: string; pos: string }[] = [];
  const flush = () => {
    while (run.length && !HEAD.has(run[run.length - 1]!.pos)) run.pop();
    const words = run.map((t) => t.normal).filter((w) => w.length > 1);
    if (words.length && words.length <= 4 && !(words.length === 1 && GENERIC.has(words[0]!))) out.push(words.join(' '));
    run = [];
  };
  for (const t of tokens) {
    if (MODIFIER.has(t.pos) && /^[a-z][a-z'-]*$/.test(t.normal)) run.push(t);
    else flush();
  }
  flush();
  return out;
}

/** Up to `limit` phrases, most frequent (then longest) first, skipping those `fitsTopic` claims. */
export function keyPhrases(texts: string[], fitsTopic: (phrase: string) => boolean, limit = 5): string[] {
  const counts = new Map<string, number>();
  for (const t of texts) for (const p of nounPhrases(t)) counts.set(p, (counts.get(p) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || b[0].split(' ').length - a[0].split(' ').length || a[0].localeCompare(b[0]))
    // A lone word is a phrase only when it recurs; one mention of "weeks" is not a theme.
    .filter(([p, n]) => n > 1 || p.includes(' '))
    .map(([p]) => p)
    .filter((p) => !fitsTopic(p))
    .slice(0, limit);
}

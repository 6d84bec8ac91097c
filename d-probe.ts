import { loadEvalSet, inputFor } from './bench/extraction-eval.ts';
import { createOfflineExtractor } from './server/analysis/offline-extractor.ts';
import { findIntents } from './server/analysis/lang/intents.ts';
import { stackerLogit } from './server/analysis/sentiment.ts';
const { conversations, topics } = loadEvalSet();
const x = createOfflineExtractor();
for (const id of process.argv.slice(2)) {
  const c = conversations.find((c) => c.id === id)!;
  const e = await x.extract(inputFor(c, topics));
  console.log(id, JSON.stringify({ ratings: e.ratings, nps: e.npsCategory, s: e.sentiment.score, f: e.followUp, lang: e.language, summary: e.summary }));
  for (const t of c.v) console.log('  intents', [...findIntents(t, c.lang)], 'z', stackerLogit(t));
}

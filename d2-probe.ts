import { loadEvalSet, inputFor } from './bench/extraction-eval.ts';
import { createOfflineExtractor } from './server/analysis/offline-extractor.ts';
const { conversations, topics } = loadEvalSet();
const x = createOfflineExtractor();
for (const c of conversations) { const e = await x.extract(inputFor(c, topics)); console.log(c.id, e.language, '|', e.summary); }

/**
 * Chooses the support "no answer" calibration (kb-retrieval.ts CALIBRATION and the unknown-word
 * weight in knowledge-base.ts) on the held-out calibration questions only: a grid search that
 * maximises right answers minus half the wrong articles (a wrong article misleads; a "don't
 * know" only costs a hand-off). `npx tsx bench/support-calibrate.ts` prints the best settings;
 * copy them into the code by hand. The evaluation set is never read here.
 */
import { loadKbDir } from '../server/conversation/example-kb.ts';
import { createKnowledgeBase } from '../server/conversation/knowledge-base.ts';
import { currentAnswerer, evaluate, loadQuestions } from './support-eval.ts';

const entries = loadKbDir();
const questions = loadQuestions('support-calibration');
let best = { objective: -Infinity, unknownWeight: 0, threshold: 0, lowThreshold: 0, minMass: 0, right: 0, wrong: 0 };
const round = (x: number) => Math.round(x * 100) / 100;
for (const unknownWeight of [0.5, 0.75, 1, 1.25, 1.5]) {
  const kb = createKnowledgeBase(() => entries, unknownWeight);
  for (let threshold = 0.3; threshold <= 0.81; threshold += 0.05) {
    for (let lowThreshold = 0.2; lowThreshold <= threshold + 0.001; lowThreshold += 0.05) {
      for (const minMass of [2, 2.5, 3, 3.5, 4, 99]) {
        const r = evaluate(questions, currentAnswerer(kb, 'calibration', { threshold, lowThreshold, minMass }));
        const objective = r.all.right - 0.5 * r.all.wrongArticle;
        if (objective > best.objective) best = { objective, unknownWeight, threshold: round(threshold), lowThreshold: round(lowThreshold), minMass, right: r.all.right, wrong: r.all.wrongArticle };
      }
    }
  }
}
console.log(`calibration set: ${questions.length} questions`);
console.log(best);

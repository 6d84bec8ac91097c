/**
 * Issue 12, aim B: CPU of the OFFLINE bot's pure parts per visitor message, through the real
 * engine (no LLM, no store): a support question (language, intents, BM25 retrieval with memory,
 * the offline answer's paragraphs) from bench/eval/support-questions.json, and a typed survey
 * answer (the scale reader, probes, phrasing) from bench/eval/typed-answers.json into the NPS
 * flow. Each turn's CPU time (process.cpuUsage) is taken alone; a round is every message once; the figure is the best round's
 * mean (the machine is shared: the best round is the one least disturbed by cache and GC noise).
 * `npx tsx bench/offline-turn.ts` prints µs per turn; `--profile` runs longer for node --cpu-prof.
 */
import { readFileSync } from 'node:fs';
import { Flow } from '../shared/flow.ts';
import { createEngine } from '../server/conversation/engine.ts';
import { EngineDriver } from '../server/conversation/engine-driver.ts';
import { loadKbDir } from '../server/conversation/example-kb.ts';
import { createKnowledgeBase } from '../server/conversation/knowledge-base.ts';
import { createLogger } from '../server/logger.ts';
import { row, type BenchRow } from './row.ts';
import { loadQuestions } from './support-eval.ts';
import { loadTypedAnswers } from './typed-answers.ts';

const flowOf = (name: string) => Flow.parse(JSON.parse(readFileSync(new URL(`../examples/flows/${name}.json`, import.meta.url), 'utf8')));

interface Turn {
  /** the conversation up to the timed message */
  prepare(): Promise<EngineDriver>;
  text: string;
}

/** mean CPU time (user + system) of the timed message, µs: other processes on a shared machine do not count */
async function roundMicros(turns: Turn[]): Promise<number> {
  let us = 0;
  for (const t of turns) {
    const driver = await t.prepare();
    const start = process.cpuUsage();
    await driver.say(t.text);
    const used = process.cpuUsage(start);
    us += used.user + used.system;
  }
  return us / turns.length;
}

export async function benchOfflineTurn(opts: { rounds?: number } = {}): Promise<BenchRow[]> {
  const rounds = opts.rounds ?? 15;
  const log = createLogger('silent');
  const entries = loadKbDir();
  const engine = createEngine({ llm: null, kb: createKnowledgeBase(() => entries), log });
  const support = flowOf('support');
  const nps = flowOf('nps');
  const supportTurns: Turn[] = loadQuestions('support-questions').map((q) => ({
    text: q.text,
    prepare: async () => {
      const d = new EngineDriver(engine, support, { locale: q.lang });
      await d.start();
      if (q.previous) await d.say(q.previous);
      return d;
    },
  }));
  const surveyTurns: Turn[] = loadTypedAnswers()
    .filter((a) => a.q === 'nps')
    .map((a) => ({
      text: a.text,
      prepare: async () => {
        const d = new EngineDriver(engine, nps, { locale: a.lang });
        await d.start();
        return d;
      },
    }));
  const best = async (turns: Turn[]) => {
    let min = Infinity;
    for (let r = 0; r < rounds; r++) min = Math.min(min, await roundMicros(turns));
    return min;
  };
  // warm up both (JIT, the KB index, stemmer caches)
  await roundMicros(supportTurns);
  await roundMicros(surveyTurns);
  const supportUs = await best(supportTurns);
  const surveyUs = await best(surveyTurns);
  return [
    row(`offline support turn (${supportTurns.length} questions, best of ${rounds})`, supportUs, 'µs', null),
    row(`offline survey turn, typed NPS answer (${surveyTurns.length} answers, best of ${rounds})`, surveyUs, 'µs', null),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { formatTable } = await import('./table.ts');
  const profile = process.argv.includes('--profile');
  console.log(formatTable(await benchOfflineTurn({ rounds: profile ? 60 : 15 })));
}

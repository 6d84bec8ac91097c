/**
 * Issue 12, aim A: the first streamed token of a SUPPORT answer through the engine
 * (engine -> retrieval -> createOpenAILlm -> openai client) against the upstream's own first chunk,
 * read with a raw fetch from the same fake server in the same run (interleaved, so machine noise
 * hits both). The fake server streams chat completions after a fixed delay and serves
 * /v1/embeddings after its own delay, like a real provider with hybrid search on. Each sample is
 * a fresh conversation asking one question of bench/eval/support-questions.json (all four
 * languages; covered, follow-up, near-miss and uncovered questions), so the mix of turns that need
 * an embedding round trip is the evaluation set's.
 * `npx tsx bench/support-first-token.ts` prints the table; it also counts, per turn, the upstream
 * requests the visible answer's stream request waited for (an embedding that came back before it
 * was sent, a speculative request aborted before it), the embedding and chat requests, and the
 * share of turns whose speculative answer request was aborted and asked again.
 */
import { readFileSync } from 'node:fs';
import { Flow } from '../shared/flow.ts';
import { createEngine } from '../server/conversation/engine.ts';
import { EngineDriver } from '../server/conversation/engine-driver.ts';
import { loadKbDir } from '../server/conversation/example-kb.ts';
import { createKnowledgeBase } from '../server/conversation/knowledge-base.ts';
import { createEmbedder, withEmbeddings } from '../server/llm/embeddings.ts';
import { bagOfWordsEmbedder, startFakeOpenAI } from '../server/llm/fake-openai.ts';
import { createOpenAILlm } from '../server/llm/openai.ts';
import { createLogger } from '../server/logger.ts';
import { rawFirstChunk } from './first-token.ts';
import { row, type BenchRow } from './row.ts';
import { median, nowMs, percentile } from './stats.ts';
import { loadQuestions } from './support-eval.ts';

const CHAT_DELAY_MS = 40;
const EMBED_DELAY_MS = 15;

export async function benchSupportFirstToken(opts: { samples?: number; warmup?: number } = {}): Promise<BenchRow[]> {
  const samples = opts.samples ?? 120;
  const warmup = opts.warmup ?? 5;
  const fake = await startFakeOpenAI(() => ({ kind: 'text', text: 'You can reset your password from the sign-in page: choose "Forgot password".', delayMs: CHAT_DELAY_MS }));
  fake.setEmbedder(bagOfWordsEmbedder(), { delayMs: EMBED_DELAY_MS });
  try {
    const log = createLogger('silent');
    const chat = createOpenAILlm({ baseURL: fake.baseURL, apiKey: 'bench', model: 'bench', timeoutMs: 10_000, maxRetries: 0, log });
    // per turn: when the visible answer's streamed request (the last one) is handed to the client,
    // and how many upstream requests it waited for
    let askedAt = Number.NaN;
    let embedsDone = 0;
    let chatsAsked = 0;
    let waitedFor = 0;
    const timed = {
      model: chat.model,
      complete: (req: Parameters<typeof chat.complete>[0]) => {
        if (req.onDelta) {
          askedAt = nowMs();
          waitedFor = embedsDone + chatsAsked;
          chatsAsked++;
        }
        return chat.complete(req);
      },
    };
    const embedder = createEmbedder({ baseURL: fake.baseURL, apiKey: 'bench', model: 'embed', timeoutMs: 10_000 });
    const llm = withEmbeddings(timed, (texts) =>
      embedder(texts).finally(() => {
        embedsDone++;
      }),
    );
    const entries = loadKbDir();
    const engine = createEngine({ llm, kb: createKnowledgeBase(() => entries), log });
    const flow = Flow.parse(JSON.parse(readFileSync(new URL('../examples/flows/support.json', import.meta.url), 'utf8')));
    const questions = loadQuestions('support-questions');
    let before = 0;
    let turns = 0;
    let embeds = 0;
    let chats = 0;
    let aborted = 0;
    let waited = 0;
    let engineMs: number[] = [];

    const viaEngine = async (i: number): Promise<number> => {
      const q = questions[i % questions.length]!;
      const driver = new EngineDriver(engine, flow, { locale: q.lang, stream: true });
      await driver.start();
      if (q.previous) await driver.say(q.previous);
      const from = fake.requests.length;
      askedAt = Number.NaN;
      embedsDone = 0;
      chatsAsked = 0;
      waitedFor = 0;
      const t0 = nowMs();
      let first = Number.NaN;
      const seen = driver.deltas.length;
      let settled = false;
      const done = driver.say(q.text).finally(() => {
        settled = true;
      });
      // the first delta of this turn (none when the turn declined without asking the model)
      await new Promise<void>((resolve) => {
        const poll = () => {
          if (driver.deltas.length > seen) {
            first = nowMs() - t0;
            resolve();
          } else if (settled) resolve();
          else setImmediate(poll);
        };
        poll();
      });
      await done;
      if (!Number.isNaN(first)) engineMs.push(askedAt - t0);
      const mine = fake.requests.slice(from);
      const chatRequests = mine.filter((r) => r.path.endsWith('/chat/completions')).length;
      before += waitedFor;
      if (waitedFor > 0) waited++;
      embeds += mine.filter((r) => r.path.endsWith('/embeddings')).length;
      chats += chatRequests;
      if (chatRequests > 1) aborted++;
      turns++;
      return first;
    };

    // every answer streams here (the fake never says NO_ANSWER), so each turn has a first delta
    for (let i = 0; i < warmup; i++) {
      await rawFirstChunk(fake.baseURL);
      await viaEngine(i);
    }
    before = 0;
    turns = 0;
    embeds = 0;
    chats = 0;
    aborted = 0;
    waited = 0;
    engineMs = [];
    const raw: number[] = [];
    const ours: number[] = [];
    for (let i = 0; i < samples; i++) {
      const theirs = await rawFirstChunk(fake.baseURL);
      const mine = await viaEngine(i + warmup);
      if (Number.isNaN(mine)) continue;
      raw.push(theirs);
      ours.push(mine);
    }
    const added = ours.map((v, i) => v - (raw[i] ?? 0));
    const note = `raw fetch to the same upstream (${CHAT_DELAY_MS} ms before the first chunk; embeddings ${EMBED_DELAY_MS} ms)`;
    return [
      row('support first token via engine, median', median(ours), 'ms', median(raw), note),
      row('support first token via engine, p99', percentile(ours, 99), 'ms', percentile(raw, 99), note),
      row('added to the first token, median', median(ours) - median(raw), 'ms', null),
      row('added to the first token, p99', percentile(ours, 99) - percentile(raw, 99), 'ms', 5, 'aim: at most 5 ms'),
      row('added to the first token, p99 of paired samples', percentile(added, 99), 'ms', 5, 'each sample minus its interleaved raw one'),
      row('upstream requests the answer stream waited for, per turn', before / Math.max(1, turns), 'req', null, 'embeddings back before it was sent, aborted requests before it'),
      row('turns whose answer stream waited for an upstream request, share', waited / Math.max(1, turns), 'fraction', null, 'an embedding or an aborted speculative request'),
      row('embedding requests per turn', embeds / Math.max(1, turns), 'req', null),
      row('chat requests per turn', chats / Math.max(1, turns), 'req', null),
      row('speculative answer requests aborted, share of turns', aborted / Math.max(1, turns), 'fraction', null, 'hybrid ranking picked a passage the request lacked'),
      row('engine work before the answer is asked for, median', median(engineMs), 'ms', null, 'retrieval, embedding round trip when one is waited for, prompt'),
      row('engine work before the answer is asked for, p99', percentile(engineMs, 99), 'ms', null),
    ];
  } finally {
    await fake.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { formatTable } = await import('./table.ts');
  console.log(formatTable(await benchSupportFirstToken()));
}

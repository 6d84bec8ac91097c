/**
 * The real Parley server for benchmarks: the same startServer() as `npm start` (offline LLM, a
 * temporary database from PARLEY_DB), with the per-IP and per-visitor rate limits raised,
 * because a benchmark is one IP sending thousands of messages a second on purpose.
 * BENCH_ENGINE=silent swaps in an engine that never replies, to separate the cost of the
 * message path (validate, commit, ack, fan-out, turn bookkeeping) from the engine's own work.
 * Prints `listening <port>`; exits when its parent closes stdin.
 */
import { loadConfig } from '../server/config.ts';
import type { Engine, TurnInput, TurnResult } from '../server/conversation/engine-types.ts';
import { startServer } from '../server/main.ts';

const silent = (input: TurnInput): Promise<TurnResult> =>
  Promise.resolve({ replies: [], state: input.state, answers: [], completed: false, needsHuman: false });
const silentEngine: Engine = { start: silent, reply: silent };

const unlimited = { capacity: 1e9, perSecond: 1e9 };
const server = await startServer(loadConfig({ ...process.env, PORT: '0' }), {
  limits: { connectionsPerIp: unlimited, eventsPerSocket: unlimited, messagesPerIp: unlimited, messagesPerVisitor: unlimited, startsPerIp: unlimited, startsPerVisitor: unlimited },
  ...(process.env.BENCH_ENGINE === 'silent' ? { engine: silentEngine } : {}),
});
process.stdout.write(`listening ${server.port}\n`);

const stop = (): void => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.once('SIGTERM', stop);

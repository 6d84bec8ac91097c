/**
 * Test fixture for durability.test.ts: a worker process over an existing database that runs the
 * real extract handler slowly, so the test can SIGKILL it mid-batch.
 * Usage: tsx server/jobs/durability-child.ts DB_PATH
 */
import { createExtractionService } from '../analysis/extraction-service.ts';
import { createLogger } from '../logger.ts';
import { openDb } from '../store/db.ts';
import { createStore } from '../store/index.ts';
import { createJobWorker } from './worker.ts';

const path = process.argv[2];
if (!path) throw new Error('usage: durability-child.ts DB_PATH');
const log = createLogger('silent');
const store = createStore(openDb(path));
const service = createExtractionService({ extractions: store.extractions, llm: null, log });
const worker = createJobWorker({
  jobs: store.jobs,
  handlers: {
    extract: async (payload) => {
      await new Promise((r) => setTimeout(r, 40));
      await service.handleJob(payload);
    },
  },
  concurrency: 2,
  leaseMs: 1_000,
  pollMs: 10,
  log,
});
worker.start();
process.stdout.write('ready\n');
setInterval(() => {}, 1_000);

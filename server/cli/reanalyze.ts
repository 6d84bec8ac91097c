/**
 * Re-extract ended conversations: `npm run reanalyze [-- --site KEY --since DATE --until DATE
 * --stale --offline]`. Uses PARLEY_DB and the LLM settings of the server's environment; each record
 * is replaced, never duplicated. A progress bar goes to stderr.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { createExtractionService } from '../analysis/extraction-service.ts';
import { OFFLINE_VERSION } from '../analysis/offline-extractor.ts';
import { loadConfig } from '../config.ts';
import { createOpenAILlm } from '../llm/openai.ts';
import { createLogger } from '../logger.ts';
import { ConversationBus } from '../conversation/events.ts';
import { createResponsePorts } from '../respond/delivery.ts';
import { createMailer } from '../respond/mailer.ts';
import { createRespondService } from '../respond/service.ts';
import { openDb } from '../store/db.ts';
import { createStore } from '../store/index.ts';

const USAGE = `usage: npm run reanalyze -- [--site KEY] [--since DATE] [--until DATE] [--stale] [--offline] [--concurrency N]
  --stale    only conversations without a record from the current extractor version
  --offline  use the offline extractor even when an LLM is configured`;

function parseDate(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new Error(`--${name} must be a date like 2026-01-31 (got "${value}")`);
  return t;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      site: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      stale: { type: 'boolean', default: false },
      offline: { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig();
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const store = createStore(openDb(config.dbPath));
  const llm =
    config.llm.provider === 'openai' && !values.offline
      ? createOpenAILlm({ ...(config.llm.apiKey ? { apiKey: config.llm.apiKey } : {}), ...(config.llm.baseURL ? { baseURL: config.llm.baseURL } : {}), model: config.llm.model, timeoutMs: config.llm.timeoutMs, log })
      : null;
  // Routing rules run on each new record, as in the server. What they send (e-mails, replies,
  // webhooks) is only queued here as durable jobs; the running server delivers them, once each.
  const ports = createResponsePorts({ store, bus: new ConversationBus(), mailer: createMailer(config.mail), log });
  const respond = createRespondService({ store, log, ports, allowPrivateWebhooks: config.webhooksAllowPrivate });
  const service = createExtractionService({ extractions: store.extractions, llm, log, afterSave: [(x) => respond.afterExtraction(x)] });
  const since = parseDate('since', values.since);
  const until = parseDate('until', values.until);
  const ids = await store.extractions.listEndedIds({
    ...(values.site ? { siteKey: values.site } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    ...(values.stale ? { staleFor: llm ? service.extractor.version : OFFLINE_VERSION } : {}),
  });
  const concurrency = Math.max(1, Number(values.concurrency ?? (llm ? 4 : 1)) || 1);
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'reanalyze [{bar}] {value}/{total} {eta_formatted} left, {failed} failed' }, cliProgress.Presets.shades_classic);
  bar.start(ids.length, 0, { failed: 0 });
  let next = 0;
  let failed = 0;
  const lane = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      try {
        await service.extract(id);
      } catch (err) {
        failed++;
        log.error({ err, conversationId: id }, 'reanalyze failed');
      }
      bar.increment(1, { failed });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  bar.stop();
  process.stderr.write(`re-analysed ${ids.length - failed} of ${ids.length} conversations${failed ? ` (${failed} failed)` : ''}\n`);
  return failed ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`reanalyze: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);

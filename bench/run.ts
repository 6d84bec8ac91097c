/**
 * `npm run bench`: runs every benchmark, one after another (2 shared cores: never in parallel),
 * and prints one table. Every benchmark is bounded in count and time and stops its own servers.
 * A benchmark that fails is reported and makes the exit code non-zero; the others still run.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchInsights } from './insights.ts';
import { benchIdleConnections, benchLoad } from './load.ts';
import { benchMessaging } from './messaging.ts';
import { benchMessagingPostgres } from './messaging-postgres.ts';
import { ROOT } from './processes.ts';
import type { BenchRow } from './row.ts';
import { benchSizes } from './sizes.ts';
import { benchSqliteInserts } from './sqlite-inserts.ts';
import { formatTable } from './table.ts';
import { benchTypedAnswers } from './typed-answers.ts';

type Bench = { name: string; run: () => Promise<BenchRow[]> | BenchRow[] };

function isRow(x: unknown): x is BenchRow {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  return typeof r.name === 'string' && typeof r.value === 'number' && typeof r.unit === 'string';
}

/** Benchmarks other engineers own, run when their file exists. */
function optionalBench(file: string, exportName: string): Bench | null {
  const path = join(ROOT, 'bench', file);
  if (!existsSync(path)) return null;
  return {
    name: exportName,
    async run() {
      const mod: unknown = await import(pathToFileURL(path).href);
      const fn = typeof mod === 'object' && mod !== null ? (mod as Record<string, unknown>)[exportName] : undefined;
      if (typeof fn !== 'function') throw new Error(`bench/${file} does not export ${exportName}()`);
      const rows: unknown = await fn();
      if (!Array.isArray(rows) || !rows.every(isRow)) throw new Error(`${exportName}() did not return rows { name, value, unit, baseline, ratio }`);
      return rows.map((r) => ({ ...r, baseline: r.baseline ?? null, ratio: r.ratio ?? null }));
    },
  };
}

const benches: Bench[] = [
  { name: 'sizes', run: () => benchSizes(ROOT) },
  { name: 'sqlite inserts', run: () => benchSqliteInserts() },
  { name: 'messaging', run: () => benchMessaging() },
  { name: 'messaging on PostgreSQL (1 and 2 instances)', run: () => benchMessagingPostgres() },
  { name: '1,000 visitors at 1 msg/s', run: () => benchLoad() },
  { name: '5,000 idle connections', run: () => benchIdleConnections() },
  { name: 'insights', run: () => benchInsights() },
  optionalBench('first-token.ts', 'benchFirstToken'),
  optionalBench('first-token-socket.ts', 'benchFirstTokenSocket'),
  optionalBench('analysis.ts', 'benchAnalysis'),
  optionalBench('ingest.ts', 'benchIngest'),
  { name: 'typed answers', run: () => benchTypedAnswers() },
  optionalBench('support.ts', 'benchSupport'),
].filter((b): b is Bench => b !== null);

const rows: BenchRow[] = [];
const failures: string[] = [];
for (const b of benches) {
  process.stderr.write(`bench: ${b.name}...\n`);
  try {
    rows.push(...(await b.run()));
  } catch (err) {
    failures.push(`${b.name}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
}
console.log(formatTable(rows));
// kept (git-ignored) so two runs can be compared later
const resultsDir = join(ROOT, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, rows, failures }, null, 2));
console.log(`\n(saved ${file.slice(ROOT.length + 1)})`);
if (failures.length) {
  console.log(`\nFAILED:\n${failures.map((f) => `  ${f}`).join('\n')}`);
  process.exitCode = 1;
}

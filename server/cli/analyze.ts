/**
 * Score feedback without a server: `npm run analyze -- FILE [--field NAME] [--topics topics.json]`.
 * FILE holds one text per line, or CSV/JSON with a text field; prints one JSON line per text.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Topic } from '../../shared/site.ts';
import { readTexts } from '../analysis/feedback-file.ts';
import { createTextAnalyzer } from '../analysis/text-analysis.ts';

const DEFAULT_TOPICS = join(dirname(fileURLToPath(import.meta.url)), '../../examples/topics.json');
const USAGE = 'usage: npm run analyze -- FILE [--field NAME] [--topics TOPICS.json]';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { field: { type: 'string' }, topics: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const file = positionals[0];
  if (values.help || !file) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const topics = z.array(Topic).parse(JSON.parse(readFileSync(values.topics ?? DEFAULT_TOPICS, 'utf8')));
  const texts = readTexts(file, readFileSync(file, 'utf8'), values.field);
  const analyze = createTextAnalyzer(topics);
  for (const text of texts) process.stdout.write(`${JSON.stringify(await analyze(text))}\n`);
  return 0;
}

try {
  process.exitCode = await main();
} catch (err) {
  process.stderr.write(`analyze: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}

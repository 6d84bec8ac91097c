import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'parley-analyze-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function analyze(name: string, content: string, ...args: string[]) {
  const file = join(dir, name);
  writeFileSync(file, content);
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/cli/analyze.ts', file, ...args], { cwd: ROOT });
  return stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { text: string; sentiment: { label: string; score: number }; topics: { name: string }[]; followUp: { needed: boolean; urgency: string | null; contact: { phone: string | null } } });
}

describe('analyze CLI', () => {
  it('scores each row of a CSV export (quoted fields with commas and newlines) without a server', async () => {
    const csv = 'id,comment,stars\n1,"Great service, thanks!",5\n2,"My parcel never arrived.\nCall me back on 020 7946 0958, this is urgent",1\n3,"",3\n';
    const out = await analyze('feedback.csv', csv);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ text: 'Great service, thanks!', sentiment: { label: 'positive' }, followUp: { needed: false } });
    expect(out[1]).toMatchObject({ sentiment: { label: 'negative' }, followUp: { needed: true, urgency: 'high', contact: { phone: '020 7946 0958' } } });
    expect(out[1]!.topics[0]?.name).toBe('Delivery');
  });

  it('reads plain text (one per line) and JSON with a named field', async () => {
    expect((await analyze('lines.txt', 'I love it\n\nterrible, broken on arrival\n')).map((o) => o.sentiment.label)).toEqual(['positive', 'negative']);
    const json = JSON.stringify([{ body: 'Checkout keeps crashing' }, { body: 'Fast delivery, thank you' }]);
    expect(await analyze('export.json', json, '--field', 'body')).toHaveLength(2);
  });

  it('explains a CSV without a text column instead of printing nothing', async () => {
    await expect(analyze('bad.csv', 'a,b\n1,2\n')).rejects.toMatchObject({ stderr: expect.stringContaining('--field') });
  });
});

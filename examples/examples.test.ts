import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Flow } from '../shared/flow.ts';
import { loadKbDir } from '../server/conversation/example-kb.ts';

const flowsDir = new URL('./flows/', import.meta.url);
const flowFiles = readdirSync(flowsDir).filter((f) => f.endsWith('.json'));

describe('example flows', () => {
  it.each(flowFiles)('%s is a valid flow whose id matches its file name', (file) => {
    const flow = Flow.parse(JSON.parse(readFileSync(new URL(file, flowsDir), 'utf8')));
    expect(flow.id).toBe(file.replace(/\.json$/, ''));
  });

  it('include the nps and support flows the demo uses', () => {
    expect(flowFiles).toEqual(expect.arrayContaining(['nps.json', 'support.json']));
  });

  it.each(flowFiles)('%s: every condition names an earlier question', (file) => {
    const flow = Flow.parse(JSON.parse(readFileSync(new URL(file, flowsDir), 'utf8')));
    if (flow.kind !== 'survey') return;
    flow.questions.forEach((q, i) => {
      const earlier = new Set(flow.questions.slice(0, i).map((x) => x.id));
      for (const c of q.when) expect(earlier.has(c.question), `${q.id} depends on ${c.question}`).toBe(true);
    });
  });
});

describe('example knowledge base', () => {
  it('has about eight entries, each with a title and a body', () => {
    const entries = loadKbDir();
    expect(entries.length).toBeGreaterThanOrEqual(8);
    for (const e of entries) {
      expect(e.title.length).toBeGreaterThan(3);
      expect(e.body.length).toBeGreaterThan(100);
      expect(e.body).not.toMatch(/^#/);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { locateJson } from './json-locate.ts';
import { validateFlowJson } from './validate-flow.ts';

const good = `{
  "id": "nps",
  "kind": "survey",
  "name": "NPS",
  "questions": [
    { "id": "score", "type": "nps", "prompt": "How likely are you to recommend us?" },
    {
      "id": "why",
      "type": "text",
      "prompt": ""
    }
  ],
  "outro": "Thanks!"
}`;

describe('flow JSON check', () => {
  it('accepts a valid flow', () => {
    const r = validateFlowJson(good.replace('"prompt": ""', '"prompt": "Why?"'));
    expect(r.ok).toBe(true);
  });

  it('reports a schema error on the line of the offending value', () => {
    const r = validateFlowJson(good);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ line: 10, path: 'questions.1.prompt' });
  });

  it('points a missing property at its enclosing object', () => {
    const r = validateFlowJson(good.replace('  "outro": "Thanks!"\n', '').replace('  ],\n', '  ]\n'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]).toMatchObject({ line: 1, path: 'outro' });
  });

  it('reports a JSON syntax error at its line', () => {
    const r = validateFlowJson(good.replace('"name": "NPS",', '"name": "NPS"'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]?.line).toBe(4);
    expect(r.problems[0]?.message).toMatch(/Expected "," or "}"/);
  });

  it('parses what JSON.parse parses', () => {
    const text = '{"a":[1,-2.5e3,true,false,null,"x\\"y\\u00e9"],"b":{}}';
    const r = locateJson(text);
    expect(r.ok && r.value).toEqual(JSON.parse(text));
  });
});

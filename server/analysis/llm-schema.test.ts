import { describe, expect, it } from 'vitest';
import { llmExtractionJsonSchema } from './llm-schema.ts';

/** keywords OpenAI's strict structured outputs accept (besides the structural ones) */
const ALLOWED = new Set(['type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'anyOf', 'description', 'minimum', 'maximum', 'pattern', 'format', 'const']);

function walk(node: unknown, path: string, problems: string[]): void {
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    node.forEach((n, i) => walk(n, `${path}[${i}]`, problems));
    return;
  }
  const o = node as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!ALLOWED.has(k)) problems.push(`${path}: keyword ${k}`);
  if (o.type === 'object' || (Array.isArray(o.type) && o.type.includes('object'))) {
    const props = Object.keys((o.properties as Record<string, unknown> | undefined) ?? {});
    if (o.additionalProperties !== false) problems.push(`${path}: additionalProperties must be false`);
    const required = (o.required as string[] | undefined) ?? [];
    for (const p of props) if (!required.includes(p)) problems.push(`${path}: ${p} not required`);
  }
  for (const [k, v] of Object.entries(o)) if (k === 'properties') for (const [pk, pv] of Object.entries(v as Record<string, unknown>)) walk(pv, `${path}.${pk}`, problems);
  else if (k === 'items' || k === 'anyOf') walk(v, `${path}.${k}`, problems);
}

describe('LLM extraction schema', () => {
  it('fits strict structured outputs: every property required, no extra properties, only supported keywords', () => {
    const problems: string[] = [];
    walk(llmExtractionJsonSchema(), '$', problems);
    expect(problems).toEqual([]);
  });
});

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { llmExtractionJsonSchema } from '../analysis/llm-schema.ts';
import { READING_SCHEMA } from '../conversation/llm-turns.ts';
import { strictSchemaProblems, withoutUnsupportedKeywords } from './strict-schema.ts';

const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
  ...extra,
});

describe('the strict structured-output checker', () => {
  it('accepts a schema that follows every rule', () => {
    expect(strictSchemaProblems(obj({ a: { type: 'string' }, b: { type: ['number', 'null'] }, c: { anyOf: [obj({ d: { type: 'boolean' } }), { type: 'null' }] } }))).toEqual([]);
  });

  it.each<[string, unknown, RegExp]>([
    ['an object without additionalProperties: false', { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, /additionalProperties must be false/],
    ['an optional property', { ...obj({ a: { type: 'string' } }), required: [] }, /"a" is not in required/],
    ['a required name that is no property', { ...obj({}), required: ['ghost'] }, /"ghost" is not a property/],
    ['an unsupported keyword', obj({ a: { type: 'string', minLength: 1 } }), /"minLength" is not supported/],
    ['an unsupported format', obj({ a: { type: 'string', format: 'uri' } }), /format "uri"/],
    ['an unsupported type', obj({ a: { type: 'tuple' } }), /type "tuple"/],
    ['an array without items', obj({ a: { type: 'array' } }), /needs items/],
    ['a schema naming no type', obj({ a: {} }), /names no type/],
    ['anyOf at the root', { anyOf: [obj({})] }, /root must be an object/],
    ['six levels of nesting', obj({ a: obj({ b: obj({ c: obj({ d: obj({ e: obj({ f: { type: 'string' } }) }) }) }) }) }), /6 levels of object nesting/],
    ['nested objects breaking the rules too', obj({ a: { type: 'array', items: { type: 'object', properties: { x: { type: 'string' } } } } }), /\$\.a\[\]: additionalProperties/],
  ])('rejects %s', (_name, schema, problem) => {
    expect(strictSchemaProblems(schema).join('\n')).toMatch(problem);
  });

  it('drops unsupported validation keywords without touching structure or property names', () => {
    const schema = obj({ minLength: { type: 'string', minLength: 1 }, n: { type: 'number', minimum: 0 } }, { $schema: 'x' });
    const stripped = withoutUnsupportedKeywords(schema);
    expect(stripped).toEqual(obj({ minLength: { type: 'string' }, n: { type: 'number', minimum: 0 } }));
    expect(strictSchemaProblems(stripped)).toEqual([]);
  });
});

/** every response_format schema the server sends, by the file that sends it */
const SENT: Record<string, () => Record<string, unknown>> = {
  'conversation/llm-turns.ts': () => READING_SCHEMA,
  'analysis/llm-extractor.ts': () => llmExtractionJsonSchema(),
};

describe('every response_format schema we send is strict-mode valid', () => {
  it.each(Object.entries(SENT))('%s', (_file, schema) => {
    // openai.ts sends each schema through withoutUnsupportedKeywords
    expect(strictSchemaProblems(withoutUnsupportedKeywords(schema()))).toEqual([]);
  });

  it('covers every file that asks for structured output', () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && /responseFormat:\s*\{/.test(readFileSync(path, 'utf8'))) files.push(relative(root, path));
      }
    };
    walk(root);
    // a new structured output must be added to SENT above so its schema is checked
    expect(files.filter((f) => !f.startsWith('llm/')).sort()).toEqual(Object.keys(SENT).sort());
  });
});

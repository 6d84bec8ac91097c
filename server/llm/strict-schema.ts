/**
 * OpenAI's rules for JSON schemas in strict structured output (`response_format: json_schema`,
 * `strict: true`), as a checker, and the one repair that is always safe: dropping validation
 * keywords strict mode does not support (we validate the reply with zod anyway).
 *
 * Rules checked (the conservative limits, so a schema that passes also passes on older
 * deployments): the root is an object, not anyOf; every object has `additionalProperties: false`
 * and lists every property in `required` (optional fields are a union with null); only the
 * supported keywords and types; arrays have `items`; every schema names a type, enum, const,
 * anyOf or $ref; at most 5 levels of object nesting, 100 properties in all, 500 enum values, and
 * 15,000 characters of property names, enum values and const values.
 */

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
const STRUCTURAL = new Set(['type', 'properties', 'required', 'additionalProperties', 'items', 'anyOf', 'enum', 'const', '$ref', '$defs', 'definitions', 'description', 'title']);
/** validation keywords strict mode accepts */
const SUPPORTED_VALIDATION = new Set(['pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems']);
const FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid']);
/** validation keywords that are not supported but safe to drop: the reply is validated by zod after parsing */
const DROPPABLE = new Set(['minLength', 'maxLength', 'uniqueItems', 'default', 'examples', '$schema', '$id', 'minProperties', 'maxProperties', 'contains', 'minContains', 'maxContains']);

export const STRICT_LIMITS = { depth: 5, properties: 100, enumValues: 500, chars: 15_000 };

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: Json, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Every way `schema` breaks strict structured-output rules, as readable lines (empty when valid). */
export function strictSchemaProblems(schema: unknown): string[] {
  const problems: string[] = [];
  let properties = 0;
  let enumValues = 0;
  let chars = 0;

  const visit = (s: unknown, path: string, depth: number): void => {
    if (!isObj(s)) {
      problems.push(`${path}: a schema must be an object`);
      return;
    }
    for (const key of Object.keys(s)) {
      if (STRUCTURAL.has(key)) continue;
      if (SUPPORTED_VALIDATION.has(key)) {
        if (key === 'format' && !FORMATS.has(String(s[key]))) problems.push(`${path}: format "${String(s[key])}" is not supported`);
        continue;
      }
      problems.push(`${path}: keyword "${key}" is not supported in strict mode`);
    }
    const types = own(s, 'type') ? (Array.isArray(s.type) ? s.type : [s.type]) : [];
    for (const t of types) if (typeof t !== 'string' || !TYPES.has(t)) problems.push(`${path}: type ${JSON.stringify(t)} is not supported`);
    if (types.length === 0 && !own(s, 'anyOf') && !own(s, 'enum') && !own(s, 'const') && !own(s, '$ref')) problems.push(`${path}: names no type`);
    if (own(s, 'enum')) {
      const values = Array.isArray(s.enum) ? s.enum : [];
      enumValues += values.length;
      chars += values.reduce<number>((n, v) => n + String(v).length, 0);
    }
    if (own(s, 'const')) chars += String(s.const).length;

    const isObject = types.includes('object') || own(s, 'properties');
    if (isObject) {
      const level = depth + 1;
      if (level > STRICT_LIMITS.depth) problems.push(`${path}: ${level} levels of object nesting (at most ${STRICT_LIMITS.depth})`);
      if (s.additionalProperties !== false) problems.push(`${path}: additionalProperties must be false`);
      const props = isObj(s.properties) ? s.properties : {};
      const keys = Object.keys(props);
      const required = Array.isArray(s.required) ? s.required.map(String) : [];
      for (const k of keys) if (!required.includes(k)) problems.push(`${path}: property "${k}" is not in required (make it a union with null instead)`);
      for (const r of required) if (!keys.includes(r)) problems.push(`${path}: required "${r}" is not a property`);
      properties += keys.length;
      chars += keys.reduce((n, k) => n + k.length, 0);
      for (const k of keys) visit(props[k], `${path}.${k}`, level);
    }
    if (types.includes('array')) {
      if (!own(s, 'items')) problems.push(`${path}: an array needs items`);
      else visit(s.items, `${path}[]`, depth);
    }
    if (own(s, 'anyOf')) {
      if (path === '$') problems.push('$: the root must be an object, not anyOf');
      const branches = Array.isArray(s.anyOf) ? s.anyOf : [];
      branches.forEach((b, i) => visit(b, `${path}|${i}`, depth));
    }
    for (const defs of ['$defs', 'definitions']) {
      if (isObj(s[defs])) for (const [k, d] of Object.entries(s[defs])) visit(d, `${path}.${defs}.${k}`, depth);
    }
  };

  if (!isObj(schema) || schema.type !== 'object') problems.push('$: the root must be an object schema');
  visit(schema, '$', 0);
  if (properties > STRICT_LIMITS.properties) problems.push(`$: ${properties} properties (at most ${STRICT_LIMITS.properties})`);
  if (enumValues > STRICT_LIMITS.enumValues) problems.push(`$: ${enumValues} enum values (at most ${STRICT_LIMITS.enumValues})`);
  if (chars > STRICT_LIMITS.chars) problems.push(`$: ${chars} characters of names and values (at most ${STRICT_LIMITS.chars})`);
  return problems;
}

/**
 * The schema without the validation keywords strict mode rejects but that are safe to drop
 * (minLength, uniqueItems, default, $schema, ...). Structure is never changed: a missing
 * `required` or `additionalProperties` stays a problem for its author to fix.
 */
export function withoutUnsupportedKeywords(schema: Record<string, unknown>): Record<string, unknown> {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (!isObj(v)) return v;
    const out: Json = {};
    for (const [k, child] of Object.entries(v)) {
      if (DROPPABLE.has(k)) continue;
      // property names are data, not keywords: keep every one, strip inside each
      out[k] = k === 'properties' && isObj(child) ? Object.fromEntries(Object.entries(child).map(([name, p]) => [name, strip(p)])) : strip(child);
    }
    return out;
  };
  return strip(schema) as Record<string, unknown>;
}

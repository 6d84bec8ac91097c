import type { z } from 'zod';
import { AppError } from '../../../shared/errors.ts';
import { safeParse } from '../../../shared/safe-parse.ts';

/** Validate a body or query with its shared schema; a failure names every bad field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = safeParse(schema, input ?? {});
  if (r.success) return r.data;
  const issues = r.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const first = issues[0];
  throw new AppError('invalid_payload', first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'invalid request', { issues });
}

/** route parameters are strings from the URL; keep them to sane ids */
export function param(value: string | string[] | undefined, name: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 128) throw new AppError('invalid_payload', `${name}: invalid`);
  return value;
}

export function intParam(value: string | string[] | undefined, name: string): number {
  const s = param(value, name);
  if (!/^\d{1,15}$/.test(s)) throw new AppError('invalid_payload', `${name}: must be a positive integer`);
  return Number(s);
}

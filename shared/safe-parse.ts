import { z } from 'zod';

/**
 * `schema.safeParse` that never throws. zod can throw while reading hostile shapes instead of
 * reporting them (seen: a value whose `length` is an object with a non-callable `toString`
 * makes a length check throw "Cannot convert object to primitive value"); such input is
 * invalid, not a server error.
 */
export type SafeParsed<T> = { success: true; data: T } | { success: false; error: z.ZodError };

export function safeParse<S extends z.ZodType>(schema: S, input: unknown): SafeParsed<z.output<S>> {
  try {
    const r = schema.safeParse(input);
    return r.success ? { success: true, data: r.data } : { success: false, error: r.error };
  } catch {
    return { success: false, error: new z.ZodError([{ code: 'custom', message: 'a value could not be read', path: [], input: undefined }]) };
  }
}

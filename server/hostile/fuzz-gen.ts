/**
 * Seeded generators for the fuzzer: random JSON-ish values, and mutations of valid payloads
 * (fields dropped, retyped, stretched, prototype keys, unicode). Same seed, same sequence.
 */
export type Rng = () => number;

/** mulberry32: small, fast, good enough to reproduce a failing run from its seed */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(r: Rng, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
export const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

export const WORDS = ['constructor', '__proto__', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'then', 'length', 'null', 'undefined', 'NaN'];

const STRINGS = [
  '',
  ' ',
  '\u0000',
  '\n\t\r',
  'a',
  '8',
  '-1',
  '1e309',
  'ünïcödé 中文 العربية 🙂',
  '\ud800',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%E0%A4%A',
  "' OR 1=1 --",
  '"; DROP TABLE messages; --',
  'x'.repeat(300),
  ...WORDS,
];

export function randomString(r: Rng): string {
  const roll = r();
  if (roll < 0.6) return pick(r, STRINGS);
  if (roll < 0.9) return Array.from({ length: int(r, 1, 40) }, () => String.fromCharCode(int(r, 0, 0xffff))).join('');
  return 'y'.repeat(int(r, 1_000, 30_000));
}

export function randomValue(r: Rng, depth = 0): unknown {
  const roll = r();
  if (roll < 0.12) return null;
  if (roll < 0.2) return r() < 0.5;
  if (roll < 0.35) return pick(r, [0, -1, 1, 0.5, 2 ** 31, -(2 ** 53), Number.MAX_SAFE_INTEGER, 1e308, 8, 10, 11]);
  if (roll < 0.6 || depth > 3) return randomString(r);
  if (roll < 0.8) return Array.from({ length: int(r, 0, 5) }, () => randomValue(r, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = int(r, 0, 5); i > 0; i--) o[r() < 0.3 ? pick(r, WORDS) : randomString(r).slice(0, 20)] = randomValue(r, depth + 1);
  return o;
}

/** a valid-looking payload with one or two things wrong (or, sometimes, nothing wrong) */
export function mutate(r: Rng, base: Record<string, unknown>): unknown {
  const roll = r();
  if (roll < 0.1) return randomValue(r);
  if (roll < 0.2) return base;
  const o: Record<string, unknown> = { ...base };
  const keys = Object.keys(o);
  for (let n = int(r, 1, 2); n > 0; n--) {
    const key = keys.length > 0 && r() < 0.8 ? pick(r, keys) : r() < 0.5 ? pick(r, WORDS) : randomString(r).slice(0, 12);
    const how = r();
    if (how < 0.25) delete o[key];
    else if (how < 0.7) o[key] = randomValue(r);
    else if (how < 0.85) o[key] = typeof o[key] === 'string' ? `${String(o[key])}${randomString(r)}` : randomString(r);
    else Object.defineProperty(o, '__proto__', { value: { polluted: true, [key]: randomValue(r) }, enumerable: true, configurable: true, writable: true });
  }
  return o;
}

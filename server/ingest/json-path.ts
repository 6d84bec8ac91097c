/** Reads a dotted path such as "review.body" or "$.data.items[0].text" out of parsed JSON. */
export function readPath(root: unknown, path: string): unknown {
  const segments: (string | number)[] = [];
  for (const part of path.replace(/^\$\.?/, '').split('.')) {
    const m = /^([\w-]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    segments.push(m[1]!);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) segments.push(Number(idx[1]));
  }
  let cur: unknown = root;
  for (const seg of segments) {
    if (typeof seg === 'number') {
      if (!Array.isArray(cur) || seg >= cur.length) return undefined;
      cur = cur[seg];
    } else {
      // own properties only: "constructor" or "__proto__" in a path never reach the prototype
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur) || !Object.hasOwn(cur, seg)) return undefined;
      cur = (cur as Record<string, unknown>)[seg];
    }
  }
  return cur;
}

/** a scalar as text (numbers too); objects and arrays are not text */
export function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

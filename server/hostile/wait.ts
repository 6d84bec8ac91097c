/** Test helper: poll until a condition holds (bounded by count, not by a timed assertion); the probe may be async. */
export async function until<R>(what: string, probe: () => R, tries = 400, everyMs = 25): Promise<NonNullable<Exclude<Awaited<R>, false>>> {
  for (let i = 0; i < tries; i++) {
    const v = await probe();
    if (v) return v as NonNullable<Exclude<Awaited<R>, false>>;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`gave up waiting for ${what}`);
}

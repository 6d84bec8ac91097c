/** Test helper: poll until a condition holds (bounded by count, not by a timed assertion). */
export async function until<T>(what: string, probe: () => T | null | undefined | false, tries = 400, everyMs = 25): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`gave up waiting for ${what}`);
}

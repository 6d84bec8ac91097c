/** One origin per line (or comma separated); blank lines dropped. */
export function parseOrigins(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter(Boolean);
}

/**
 * The first candidate whose language we have a table for ("de-AT" -> "de"), else "en".
 * Candidates come in priority order: data-lang, navigator.language, the site's default.
 */
export function pickLang(candidates: readonly (string | null | undefined)[], available: readonly string[]): string {
  for (const c of candidates) {
    if (!c) continue;
    const lower = c.toLowerCase();
    if (available.includes(lower)) return lower;
    const primary = lower.split('-')[0] ?? '';
    if (available.includes(primary)) return primary;
  }
  return 'en';
}

/** Fills "{name}" placeholders; unknown placeholders stay visible so a bad override is noticed. */
export function fill(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole));
}

/**
 * Allowed-origin patterns: exact ("https://shop.example") or with a port wildcard
 * ("http://localhost:*", any port including none).
 */
export function originAllowed(origin: string, patterns: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const normalized = `${url.protocol}//${url.host}`;
  return patterns.some((p) => {
    if (p.endsWith(':*')) {
      const base = p.slice(0, -2).toLowerCase();
      return `${url.protocol}//${url.hostname}` === base;
    }
    try {
      const u = new URL(p);
      return `${u.protocol}//${u.host}` === normalized;
    } catch {
      return false;
    }
  });
}

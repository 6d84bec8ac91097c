/** The admin session cookie: parsing the Cookie header and writing Set-Cookie. */
export const SESSION_COOKIE = 'parley_admin';

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * HttpOnly keeps page scripts (and any injected one) away from it; SameSite=Strict keeps other
 * sites from sending it; Secure whenever the request came over https.
 */
export function sessionCookie(token: string, opts: { secure: boolean; maxAgeMs: number }): string {
  const attrs = [`${SESSION_COOKIE}=${encodeURIComponent(token)}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.max(0, Math.floor(opts.maxAgeMs / 1000))}`];
  if (opts.secure) attrs.push('Secure');
  return attrs.join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', { secure, maxAgeMs: 0 });
}

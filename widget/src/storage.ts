/**
 * localStorage that never throws: storage can be disabled, full, or blocked by the host page's
 * privacy settings, and the widget must keep working (just without persistence) in all of those.
 */
export const tokenKey = (site: string) => `parley:${site}:token`;
export const outboxKey = (site: string) => `parley:${site}:outbox`;
/**
 * id of the conversation under way, or WATCHING while a reply to an ended one may still come; the
 * loader loads the panel at once when it is set (so the reply shows with the unread badge)
 */
export const openKey = (site: string) => `parley:${site}:open`;
export const WATCHING = '~';

export function readItem(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeItem(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // persistence is best effort; the live session still works
  }
}

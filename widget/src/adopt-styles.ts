/**
 * Adds CSS to a shadow root. Adopted sheets pass a host page's CSP `style-src 'self'`, which
 * would block a <style> element; the <style> fallback covers browsers without them.
 */
export function adoptStyles(root: ShadowRoot, css: string): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch {
    const style = document.createElement('style');
    style.textContent = css;
    root.appendChild(style);
  }
}

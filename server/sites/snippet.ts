const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The one tag a site owner pastes into their pages. */
export function embedSnippet(publicUrl: string, siteKey: string): string {
  return `<script async src="${attr(publicUrl.replace(/\/+$/, ''))}/widget.js" data-site="${attr(siteKey)}"></script>`;
}

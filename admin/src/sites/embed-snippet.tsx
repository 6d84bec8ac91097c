import { useState } from 'preact/hooks';

/** The script tag to paste, with a copy button that says when it worked. */
export function EmbedSnippet({ snippet }: { snippet: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(snippet);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
    setTimeout(() => setCopied(null), 2000);
  };
  return (
    <div class="snippet">
      {/* a named group: ARIA does not allow a label on a bare pre */}
      <pre role="group" aria-label="Embed snippet">
        <code>{snippet}</code>
      </pre>
      <button type="button" class="button" onClick={copy}>
        {copied === 'yes' ? 'Copied' : 'Copy'}
      </button>
      {copied === 'failed' && (
        <span class="muted small" role="status">
          Copy blocked by the browser: select the text and copy it by hand.
        </span>
      )}
    </div>
  );
}

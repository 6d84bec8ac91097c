/**
 * Runs a saved flow in the real widget: an iframe whose document holds nothing but the embed
 * snippet for this site, then asks that widget to start the flow. The iframe document shares
 * this server's origin (so the preview connects like a page on this server would, and the
 * admin page can reach its window.Parley); no visitor text is ever written into it.
 */
import { useRef } from 'preact/hooks';

interface ParleyApi {
  start?: (flowId: string) => void;
}

export function previewDocument(origin: string, siteKey: string, flowId: string): string {
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!doctype html><html><head><meta charset="utf-8"><style>html,body{margin:0;height:100%;background:#f6f7f9;font:13px system-ui,sans-serif;color:#5b6476}p{padding:16px}</style></head>
<body><p>Preview of “${attr(flowId)}”.</p><script src="${attr(origin)}/widget.js" data-site="${attr(siteKey)}" data-flow="${attr(flowId)}" data-open="true"></script></body></html>`;
}

export function FlowPreview({ siteKey, flowId }: { siteKey: string; flowId: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const startFlow = () => {
    const win = frame.current?.contentWindow as (Window & { Parley?: ParleyApi }) | null | undefined;
    // a fresh conversation on this flow, even if the preview visitor has another one open
    win?.Parley?.start?.(flowId);
  };
  return (
    <>
      <iframe ref={frame} class="preview-frame" title={`Preview of flow ${flowId}`} srcdoc={previewDocument(location.origin, siteKey, flowId)} onLoad={startFlow} />
      <p class="muted small">
        The preview runs on this server's address; for a site other than the demo, add it to the site's allowed origins.
      </p>
    </>
  );
}

/**
 * Runs a saved flow in the real widget: an iframe of the demo host page, which loads widget.js
 * for this site and opens it on this flow, so the preview is exactly what visitors get.
 */
export function previewUrl(siteKey: string, flowId: string): string {
  const params = new URLSearchParams({ site: siteKey, flow: flowId, open: '1', preview: '1' });
  return `/demo?${params.toString()}`;
}

export function FlowPreview({ siteKey, flowId }: { siteKey: string; flowId: string }) {
  return (
    <iframe
      class="preview-frame"
      title={`Preview of flow ${flowId}`}
      src={previewUrl(siteKey, flowId)}
    />
  );
}

/** The printable page of a report: its Markdown as escaped HTML with print styles, no script. */
import type { InsightReport } from '../../shared/insights.ts';
import { inlineRuns, parseReportMarkdown } from '../../shared/report-markdown.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const inline = (s: string) => inlineRuns(s).map((r) => (r.bold ? `<strong>${escapeHtml(r.text)}</strong>` : escapeHtml(r.text))).join('');

const STYLE = `
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111827; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; } h2 { font-size: 1.2rem; margin-top: 1.6rem; border-bottom: 1px solid #e5e7eb; } h3 { font-size: 1rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; } th, td { border: 1px solid #d1d5db; padding: .3rem .5rem; text-align: left; }
th { background: #f3f4f6; } blockquote { margin: .4rem 0 .4rem 1rem; padding-left: .75rem; border-left: 3px solid #9ca3af; color: #374151; }
.meta { color: #4b5563; font-size: .85rem; } @media print { body { margin: 0; } a { color: inherit; } }`;

export function reportHtml(r: InsightReport): string {
  const body = parseReportMarkdown(r.markdown)
    .map((b) => {
      switch (b.kind) {
        case 'heading':
          return `<h${b.level}>${inline(b.text)}</h${b.level}>`;
        case 'paragraph':
          return `<p>${inline(b.text)}</p>`;
        case 'quote':
          return `<blockquote>${inline(b.text)}</blockquote>`;
        case 'list':
          return `<ul>${b.items.map((it) => `<li>${inline(it.text)}${it.quote ? `<blockquote>${inline(it.quote)}</blockquote>` : ''}</li>`).join('')}</ul>`;
        case 'table':
          return `<table><thead><tr>${b.head.map((c) => `<th scope="col">${inline(c)}</th>`).join('')}</tr></thead><tbody>${b.rows
            .map((row) => `<tr>${row.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`)
            .join('')}</tbody></table>`;
      }
    })
    .join('\n');
  const writer = r.writer === 'llm' ? 'Written by the LLM from the figures' : 'Written from the figures by the offline template';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Insight report ${escapeHtml(r.filters.from)} to ${escapeHtml(r.filters.to)}</title><style>${STYLE}</style></head>
<body>${body}
<p class="meta">${escapeHtml(writer)} · generated ${escapeHtml(new Date(r.createdAt).toISOString().slice(0, 16).replace('T', ' '))} UTC${r.fallbackReason ? ` · ${escapeHtml(r.fallbackReason)}` : ''}</p></body></html>`;
}

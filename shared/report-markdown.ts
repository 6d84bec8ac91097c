/**
 * The small Markdown subset insight reports use, parsed into blocks so the admin page and the
 * printable page render it as text (never as HTML): headings, paragraphs, bullet lists, quotes,
 * tables, and **bold** inside lines.
 */
export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: { text: string; quote: string | null }[] }
  | { kind: 'quote'; text: string }
  | { kind: 'table'; head: string[]; rows: string[][] };

const cells = (line: string) => line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());

export function parseReportMarkdown(md: string): Block[] {
  const blocks: Block[] = [];
  const lines = md.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const t = line.trim();
    if (!t) {
      i++;
      continue;
    }
    const h = /^(#{1,3})\s+(.*)$/.exec(t);
    if (h) {
      blocks.push({ kind: 'heading', level: Math.min(3, h[1]?.length ?? 1) as 1 | 2 | 3, text: h[2] ?? '' });
      i++;
    } else if (t.startsWith('|')) {
      const rows: string[][] = [];
      while (i < lines.length && (lines[i] ?? '').trim().startsWith('|')) {
        const r = cells(lines[i] ?? '');
        if (!r.every((c) => /^:?-{2,}:?$/.test(c))) rows.push(r);
        i++;
      }
      blocks.push({ kind: 'table', head: rows[0] ?? [], rows: rows.slice(1) });
    } else if (/^[-*]\s+/.test(t) || /^\d+[.)]\s+/.test(t)) {
      const items: { text: string; quote: string | null }[] = [];
      while (i < lines.length) {
        const l = (lines[i] ?? '').trim();
        if (/^[-*]\s+/.test(l) || /^\d+[.)]\s+/.test(l)) items.push({ text: l.replace(/^([-*]|\d+[.)])\s+/, ''), quote: null });
        else if (l.startsWith('>') && items.length) {
          const last = items[items.length - 1];
          if (last) last.quote = l.replace(/^>\s?/, '');
        } else break;
        i++;
      }
      blocks.push({ kind: 'list', items });
    } else if (t.startsWith('>')) {
      const parts: string[] = [];
      while (i < lines.length && (lines[i] ?? '').trim().startsWith('>')) parts.push((lines[i++] ?? '').trim().replace(/^>\s?/, ''));
      blocks.push({ kind: 'quote', text: parts.join(' ') });
    } else {
      const parts: string[] = [];
      while (i < lines.length && (lines[i] ?? '').trim() && !/^(#|\||[-*]\s|>|\d+[.)]\s)/.test((lines[i] ?? '').trim())) parts.push((lines[i++] ?? '').trim());
      blocks.push({ kind: 'paragraph', text: parts.join(' ') });
    }
  }
  return blocks;
}

/** a line split into plain and **bold** runs */
export function inlineRuns(text: string): { text: string; bold: boolean }[] {
  return text
    .split(/(\*\*[^*]+\*\*)/)
    .filter(Boolean)
    .map((s) => (s.startsWith('**') && s.endsWith('**') && s.length > 4 ? { text: s.slice(2, -2), bold: true } : { text: s, bold: false }));
}

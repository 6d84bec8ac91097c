/** A markdown FAQ file as a knowledge-base entry: `# Title`, an optional `Tags:` line, then the body. */
import { KbEntry } from '../../shared/flow.ts';

export function parseKbMarkdown(id: string, markdown: string): KbEntry {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  const titleAt = lines.findIndex((l) => l.trim() !== '');
  const title = lines[titleAt]?.match(/^#\s+(.+)$/)?.[1]?.trim();
  if (!title) throw new Error(`${id}: a knowledge-base file starts with a "# Title" heading`);
  let rest = lines.slice(titleAt + 1);
  let tags: string[] = [];
  const tagsAt = rest.findIndex((l) => l.trim() !== '');
  const tagLine = rest[tagsAt]?.match(/^tags:\s*(.+)$/i)?.[1];
  if (tagLine) {
    tags = tagLine.split(',').map((t) => t.trim()).filter(Boolean);
    rest = rest.slice(tagsAt + 1);
  }
  return KbEntry.parse({ id, title, body: rest.join('\n').trim(), tags });
}

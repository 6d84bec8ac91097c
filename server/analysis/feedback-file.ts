/**
 * Reads texts out of an export a user already has: one text per line, CSV with a text column, a
 * JSON array (of strings or of objects with a text field) or JSON lines.
 */
import { parse } from 'csv-parse/sync';

const TEXT_FIELDS = /^(text|review[ _]?text|review|comment|comments|feedback|message|body|content|answer)$/i;

function pickField(record: Record<string, unknown>, field: string | undefined): string | null {
  if (field) {
    const v = record[field];
    return typeof v === 'string' ? v : null;
  }
  const key = Object.keys(record).find((k) => TEXT_FIELDS.test(k.trim()));
  const v = key === undefined ? undefined : record[key];
  return typeof v === 'string' ? v : null;
}

function fromJsonValue(v: unknown, field: string | undefined): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return pickField(v as Record<string, unknown>, field);
  return null;
}

export type FileFormat = 'lines' | 'csv' | 'json';

export function formatOf(path: string, content: string): FileFormat {
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.jsonl?$/i.test(path) || /^\s*[[{]/.test(content)) return 'json';
  return 'lines';
}

/** The non-empty texts of the file, in order. Throws when a CSV/JSON file has no text field. */
export function readTexts(path: string, content: string, field?: string): string[] {
  const format = formatOf(path, content);
  let texts: (string | null)[];
  if (format === 'csv') {
    const rows = parse(content, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: true }) as Record<string, string>[];
    texts = rows.map((r) => pickField(r, field));
    if (rows.length && texts.every((t) => t === null)) {
      throw new Error(`no text column found (columns: ${Object.keys(rows[0] ?? {}).join(', ')}); pass --field NAME`);
    }
  } else if (format === 'json') {
    const trimmed = content.trim();
    const values: unknown[] = trimmed.startsWith('[')
      ? (JSON.parse(trimmed) as unknown[])
      : trimmed.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
    texts = values.map((v) => fromJsonValue(v, field));
    if (values.length && texts.every((t) => t === null)) throw new Error('no text field found in the JSON records; pass --field NAME');
  } else {
    texts = content.split(/\r?\n/);
  }
  return texts.filter((t): t is string => t !== null && t.trim() !== '').map((t) => t.trim());
}

/**
 * Reads uploaded exports (review sites, app stores, survey tools) into rows by column: CSV with a
 * byte-order mark or not, comma, semicolon, tab or pipe delimiters (detected from the header),
 * quoted fields over several lines; JSON as an array, an object holding one, or one object per
 * line. A malformed row is reported with its line and the reading goes on.
 */
import { parse } from 'csv-parse/sync';
import type { ImportRowError } from '../../shared/feedback.ts';

export interface FileRow {
  /** CSV: the line the record starts on (1 = header); JSON: the record number (or line for NDJSON) */
  line: number;
  values: Map<string, string>;
}

export interface ParsedFile {
  columns: string[];
  rows: FileRow[];
  errors: ImportRowError[];
}

const DELIMITERS = [',', ';', '\t', '|'];

/** the delimiter the first line uses most, outside quotes; comma on a tie or none */
export function detectDelimiter(text: string): string {
  const body = text.replace(/^\uFEFF/, '');
  let line = '';
  let quoted = false;
  for (const ch of body) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    if (!quoted) line += ch;
  }
  let best = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const n = line.split(d).length - 1;
    if (n > bestCount) (best = d), (bestCount = n);
  }
  return best;
}

export function detectFormat(filename: string, text: string): 'csv' | 'json' {
  if (/\.(json|ndjson|jsonl)$/i.test(filename)) return 'json';
  if (/\.(csv|tsv|txt)$/i.test(filename)) return 'csv';
  return /^\s*[[{]/.test(text.replace(/^\uFEFF/, '')) ? 'json' : 'csv';
}

function csvReason(err: { code?: string; message?: string } | undefined): string {
  switch (err?.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
    case 'CSV_RECORD_INCONSISTENT_COLUMNS':
      return (err.message ?? 'wrong number of fields').replace(/^Invalid Record Length: /, 'wrong number of fields: ').replace(/ on line \d+$/, '');
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed (the rest of the file was read as one field)';
    default:
      return err?.message ?? 'malformed row';
  }
}

export function parseCsv(text: string, delimiter = detectDelimiter(text)): ParsedFile {
  const errors: ImportRowError[] = [];
  const skipped: { code: string | undefined; lines: number | undefined; reason: string }[] = [];
  const parsed = parse(text, {
    bom: true,
    delimiter,
    info: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      const e = err as { code?: string; message?: string; lines?: number } | undefined;
      skipped.push({ code: e?.code, lines: e?.lines, reason: csvReason(e) });
    },
  }) as unknown as { record: string[]; info: { lines: number } }[];
  // info.lines is where a record ends; quoted line breaks inside it move its start up
  const records = parsed.map((r) => {
    const breaks = r.record.reduce((n, f) => n + (f.match(/\r\n|\n|\r/g)?.length ?? 0), 0);
    return { line: r.info.lines - breaks, end: r.info.lines, fields: r.record };
  });
  for (const s of skipped) {
    // an unclosed quote is reported where the file ends: the record began after the last good one
    const line =
      s.code === 'CSV_QUOTE_NOT_CLOSED' || s.lines === undefined ? Math.max(0, ...records.map((r) => r.end).filter((e) => s.lines === undefined || e < s.lines)) + 1 : s.lines;
    errors.push({ line, reason: s.reason });
  }
  const [header, ...body] = records;
  if (!header) return { columns: [], rows: [], errors };
  const columns = uniqueNames(header.fields.map((c) => c.trim()));
  const rows = body.map((r) => ({ line: r.line, values: new Map(columns.map((c, i) => [c, r.fields[i] ?? ''])) }));
  return { columns, rows, errors };
}

/** duplicate or empty header names get a suffix so every column can be mapped */
function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n, i) => {
    const base = n || `column ${i + 1}`;
    const k = (seen.get(base) ?? 0) + 1;
    seen.set(base, k);
    return k === 1 ? base : `${base} (${k})`;
  });
}

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  out.set(prefix, typeof value === 'string' ? value : Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ') : String(value));
}

function recordsOf(doc: unknown): unknown[] | null {
  if (Array.isArray(doc)) return doc;
  if (typeof doc === 'object' && doc !== null) {
    for (const key of ['items', 'data', 'reviews', 'records', 'results', 'feedback', 'responses']) {
      if (Object.hasOwn(doc, key)) {
        const v = (doc as Record<string, unknown>)[key];
        if (Array.isArray(v)) return v;
      }
    }
    return [doc];
  }
  return null;
}

export function parseJsonFile(text: string): ParsedFile {
  const body = text.replace(/^\uFEFF/, '');
  const errors: ImportRowError[] = [];
  let entries: { line: number; value: unknown }[] = [];
  try {
    const records = recordsOf(JSON.parse(body));
    if (records === null) return { columns: [], rows: [], errors: [{ line: 1, reason: 'the file holds no records (expected an array of objects)' }] };
    entries = records.map((value, i) => ({ line: i + 1, value }));
  } catch {
    // one JSON object per line (NDJSON / JSON Lines)
    body.split(/\r?\n/).forEach((l, i) => {
      if (!l.trim()) return;
      try {
        entries.push({ line: i + 1, value: JSON.parse(l) });
      } catch {
        errors.push({ line: i + 1, reason: 'not valid JSON' });
      }
    });
  }
  const columns: string[] = [];
  const known = new Set<string>();
  const rows: FileRow[] = [];
  for (const e of entries) {
    if (typeof e.value !== 'object' || e.value === null || Array.isArray(e.value)) {
      errors.push({ line: e.line, reason: 'not an object' });
      continue;
    }
    const values = new Map<string, string>();
    flatten(e.value, '', values);
    for (const k of values.keys()) if (!known.has(k)) (known.add(k), columns.push(k));
    rows.push({ line: e.line, values });
  }
  return { columns, rows, errors };
}

export function parseFile(text: string, format: 'csv' | 'json', delimiter: string | null): ParsedFile {
  return format === 'json' ? parseJsonFile(text) : parseCsv(text, delimiter ?? detectDelimiter(text));
}

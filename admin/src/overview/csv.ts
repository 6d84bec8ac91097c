/** A table as CSV (RFC 4180 quoting; cells starting with = + - @ are prefixed so spreadsheets do not run them). */
export type Cell = string | number | null;

function cell(v: Cell): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(head: string[], rows: Cell[][]): string {
  return [head, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** a data: URL for a download link (no object URL to revoke) */
export function csvHref(head: string[], rows: Cell[][]): string {
  return `data:text/csv;charset=utf-8,${encodeURIComponent(toCsv(head, rows))}`;
}

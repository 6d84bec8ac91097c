import type { BenchRow } from './row.ts';

const fmt = (x: number | null): string => {
  if (x === null || Number.isNaN(x)) return '-';
  if (Math.abs(x) >= 100) return Math.round(x).toLocaleString('en-US');
  return String(Math.round(x * 100) / 100);
};

/** One plain-text table: name, value, unit, baseline (and what it is), ratio to the baseline. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['benchmark', 'value', 'unit', 'baseline', 'ratio', 'baseline is'];
  const body = rows.map((r) => [r.name, fmt(r.value), r.unit, fmt(r.baseline), r.ratio === null ? '-' : `${fmt(r.ratio)}x`, r.note ?? '']);
  const all = [header, ...body];
  const widths = header.map((_, c) => Math.max(...all.map((line) => line[c]!.length)));
  const right = new Set([1, 3, 4]);
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (right.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

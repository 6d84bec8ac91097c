/** One line of the benchmark table. `ratio` compares `value` with `baseline` measured in the same run. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** the reference value (measured in the same run, or a quoted/budget figure) */
  baseline: number | null;
  /** value / baseline, or null when there is no baseline */
  ratio: number | null;
  /** what the baseline is, shown beside it */
  note?: string;
}

export function row(name: string, value: number, unit: string, baseline: number | null, note?: string): BenchRow {
  const ratio = baseline === null || baseline === 0 ? null : value / baseline;
  return { name, value, unit, baseline, ratio, ...(note ? { note } : {}) };
}

import type { ComponentChildren } from 'preact';
import { csvHref, type Cell } from './csv.ts';

interface Props {
  caption: string;
  head: string[];
  /** what the table shows (may hold links); `csv` is what the download holds */
  rows: ComponentChildren[][];
  csv: Cell[][];
  fileName: string;
  /** shown open (e.g. lists that are tables anyway); charts keep theirs folded */
  open?: boolean;
}

/** A chart's numbers: an accessible table and a CSV download. */
export function DataTable({ caption, head, rows, csv, fileName, open = false }: Props) {
  const table = (
    <div class="table-scroll">
      <table class="table compact-table">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, j) => (j === 0 ? <th key={j} scope="row">{c}</th> : <td key={j}>{c}</td>))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  const download = (
    <a class="button small" href={csvHref(head, csv)} download={fileName}>
      Download CSV<span class="visually-hidden"> of {caption}</span>
    </a>
  );
  if (open) {
    return (
      <div class="data-table">
        {table}
        <div class="table-actions">{download}</div>
      </div>
    );
  }
  return (
    <details class="data-table">
      <summary>
        Table<span class="visually-hidden"> of {caption}</span>
      </summary>
      {table}
      <div class="table-actions">{download}</div>
    </details>
  );
}

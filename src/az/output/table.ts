// `--output table`, as knack's _TableOutput builds it (knack/output.py) and tabulate's
// "simple" format draws it (tabulate 0.9: headers="keys", disable_numparse=True):
// - each item becomes a row of its scalar fields; `id`, `type` and `etag` are skipped, as
//   are null values and nested lists and objects; headers are the keys with a capital first
//   letter; keys are sorted unless a --query or the command's table transformer chose them;
// - a scalar item is a `Result` column, a list item `Column1`, `Column2`, …;
// - columns are the union of the rows' keys in order of appearance; every cell is
//   left-aligned (numbers are not parsed) and stripped; a column is as wide as its widest
//   cell and at least its header plus two; columns are joined by two spaces, lines are
//   right-trimmed; a line of dashes goes under the header; a cell with line breaks makes its
//   row several lines high.
// Compared against knack 0.10 and tabulate 0.8.9 on the commands' outputs.
import { pythonStr } from './tsv';

const SKIP_KEYS = new Set(['id', 'type', 'etag']);

export function toTable(value: unknown, options: { sortKeys: boolean; isOrdered: (o: object) => boolean }): string {
  const items = Array.isArray(value) ? value : [value];
  const rows = items.map(item => tableRow(item, options));
  if (rows.length === 0) return '\n';
  return `${tabulate(rows)}\n`;
}

function tableRow(item: unknown, options: { sortKeys: boolean; isOrdered: (o: object) => boolean }): Map<string, unknown> {
  const row = new Map<string, unknown>();
  if (Array.isArray(item)) {
    item.forEach((v, i) => row.set(`Column${i + 1}`, v));
    return row;
  }
  if (item === null || typeof item !== 'object') {
    row.set('Result', item);
    return row;
  }
  const keys = Object.keys(item as Record<string, unknown>);
  if (options.sortKeys && !options.isOrdered(item)) keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const key of keys) {
    if (SKIP_KEYS.has(key)) continue;
    const v = (item as Record<string, unknown>)[key];
    if (v === null || v === undefined || typeof v === 'object') continue;
    row.set(key ? key[0]!.toUpperCase() + key.slice(1) : key, v);
  }
  return row;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return pythonStr(value).trim();
}

function tabulate(rows: Map<string, unknown>[]): string {
  const headers: string[] = [];
  for (const row of rows) for (const key of row.keys()) if (!headers.includes(key)) headers.push(key);
  // With no columns at all tabulate draws nothing (rows are transposed from the columns).
  if (headers.length === 0) return '';
  // A cell with line breaks spans several lines (tabulate's multiline mode).
  const cells = rows.map(row => headers.map(h => cellText(row.get(h)).split(/\r\n|\r|\n/)));
  const widths = headers.map((h, i) => Math.max(h.length + 2, ...cells.flatMap(c => c[i]!.map(line => line.length))));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const lines = [line(headers), line(widths.map(w => '-'.repeat(w)))];
  for (const row of cells) {
    const height = Math.max(...row.map(c => c.length));
    for (let k = 0; k < height; k++) lines.push(line(row.map(c => c[k] ?? '')));
  }
  return lines.join('\n');
}

// `--output tsv`, as knack's _TsvOutput writes it (knack/output.py): one row per item of a
// list result (a single result is one row). In a row, an object's values go in key order
// (sorted, unless a --query built the object: then in the query's order), tab-separated; a
// nested list prints its length, a nested object prints nothing, anything else Python's
// str(): so null is `None` and true is `True`. A bare boolean row prints `true`/`false`.

export function toTsv(value: unknown, isOrdered: (o: object) => boolean): string {
  const rows = Array.isArray(value) ? value : [value];
  return rows.map(row => `${tsvRow(row, isOrdered)}\n`).join('');
}

function tsvRow(row: unknown, isOrdered: (o: object) => boolean): string {
  if (Array.isArray(row)) return row.map(pythonCell).join('\t');
  if (row !== null && typeof row === 'object') {
    const entries = Object.entries(row as Record<string, unknown>);
    const ordered = isOrdered(row) ? entries : entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return ordered.map(([, v]) => pythonCell(v)).join('\t');
  }
  if (typeof row === 'boolean') return String(row);
  return pythonCell(row);
}

function pythonCell(value: unknown): string {
  if (Array.isArray(value)) return String(value.length);
  if (value !== null && typeof value === 'object') return '';
  return pythonStr(value);
}

/** Python's str() of a JSON value. */
export function pythonStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  return String(value);
}

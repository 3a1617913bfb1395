// `--output json`: knack's format_json is json.dumps(result, ensure_ascii=False, indent=2,
// sort_keys=True, separators=(',', ': ')) + '\n' (knack/output.py). Keys are sorted at every
// level, whatever order a query built them in.

export function toJson(value: unknown): string {
  return `${serialize(value, '')}\n`;
}

/** Python's sort_keys orders by code point; so does this for the keys the lab produces. */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function serialize(value: unknown, indent: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NaN';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map(v => inner + serialize(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => byCodePoint(a, b));
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${serialize(v, inner)}`).join(',\n')}\n${indent}}`;
}

// `--output yaml`: knack's format_yaml is yaml.safe_dump(result, default_flow_style=False,
// allow_unicode=True) (knack/output.py). This writes the same block style PyYAML does —
// sorted keys, sequences inside mappings not indented, `{}`/`[]` for empty collections,
// strings quoted when they would read back as something else (booleans, numbers, null,
// timestamps) or start with an indicator — but it does not fold long lines at 80 columns
// as PyYAML does.

export function toYaml(value: unknown): string {
  if (value === null || typeof value !== 'object' || isEmpty(value)) return `${scalar(value)}\n...\n`;
  return lines(value, '').join('\n') + '\n';
}

const isEmpty = (v: object) => (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);

function lines(value: object, indent: string): string[] {
  const out: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item !== null && typeof item === 'object' && !isEmpty(item)) {
        const [first, ...rest] = lines(item, `${indent}  `);
        out.push(`${indent}- ${first!.slice(indent.length + 2)}`, ...rest);
      } else {
        out.push(`${indent}- ${scalar(item)}`);
      }
    }
    return out;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key, v] of entries) {
    if (v !== null && typeof v === 'object' && !isEmpty(v)) {
      out.push(`${indent}${scalar(key)}:`);
      out.push(...lines(v, Array.isArray(v) ? indent : `${indent}  `));
    } else {
      out.push(`${indent}${scalar(key)}: ${scalar(v)}`);
    }
  }
  return out;
}

const RESOLVES = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:~|null|Null|NULL)$/,
  /^[-+]?(?:0|[1-9][0-9_]*|0b[0-1_]+|0[0-7_]+|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?$|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$/,
  /^\d{4}-\d\d?-\d\d?(?:(?:[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d\d?(?::\d\d)?))?)?$/,
];

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return '[]';
  if (typeof value === 'object') return '{}';
  const text = String(value);
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(text)) return JSON.stringify(text);
  const needsQuotes =
    text === '' ||
    RESOLVES.some(r => r.test(text)) ||
    /^[\[\]{},#&*!|>'"%@`]/.test(text) ||
    /^[-?:](?:\s|$)/.test(text) ||
    /^\s|\s$/.test(text) ||
    /: |:$| #/.test(text) ||
    text === '---' ||
    text === '...';
  return needsQuotes ? `'${text.replace(/'/g, "''")}'` : text;
}

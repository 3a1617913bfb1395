// `--output yaml`: knack's format_yaml is yaml.safe_dump(result, default_flow_style=False,
// allow_unicode=True) (knack/output.py). This writes what PyYAML's emitter writes for JSON
// values: sorted keys, block style with sequences inside mappings not indented, `{}`/`[]` for
// empty collections, strings quoted when they would read back as something else (booleans,
// numbers, null, timestamps) or start with an indicator, long plain and single-quoted strings
// folded at spaces past column 80, keys over 128 characters written as `? key` / `: value`,
// and the `...` end marker after a bare plain scalar. Compared against PyYAML 6 on the
// commands' outputs.

const WIDTH = 80;
const MAX_SIMPLE_KEY = 128;

export function toYaml(value: unknown): string {
  if (value === null || typeof value !== 'object' || isEmpty(value)) {
    const text = scalar(value, 0, '');
    return /^['"[{]/.test(text) ? `${text}\n` : `${text}\n...\n`;
  }
  return `${block(value, '').join('\n')}\n`;
}

const isEmpty = (v: object) => (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);
const isCollection = (v: unknown): v is object => v !== null && typeof v === 'object' && !isEmpty(v);

/** A collection's lines at `indent` (the first line without its indent, so callers can prefix `- ` or `: `). */
function block(value: object, indent: string): string[] {
  const out: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isCollection(item)) {
        const [first, ...rest] = block(item, `${indent}  `);
        out.push(`${indent}- ${first!.slice(indent.length + 2)}`, ...rest);
      } else {
        out.push(`${indent}- ${scalar(item, indent.length + 2, `${indent}  `)}`);
      }
    }
    return out;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key, v] of entries) {
    const keyText = scalar(key, indent.length, indent, false);
    if (keyText.length > MAX_SIMPLE_KEY) {
      out.push(`${indent}? ${keyText}`);
      if (isCollection(v)) {
        const [first, ...rest] = block(v, `${indent}  `);
        out.push(`${indent}: ${first!.slice(indent.length + 2)}`, ...rest);
      } else {
        out.push(`${indent}: ${scalar(v, indent.length + 2, `${indent}  `)}`);
      }
    } else if (isCollection(v)) {
      out.push(`${indent}${keyText}:`, ...block(v, Array.isArray(v) ? indent : `${indent}  `));
    } else {
      out.push(`${indent}${keyText}: ${scalar(v, indent.length + keyText.length + 2, `${indent}  `)}`);
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

/**
 * A scalar as PyYAML writes it, starting at `column`; folded lines continue at `continuation`.
 * Keys (`fold` false) are never folded.
 */
function scalar(value: unknown, column: number, continuation: string, fold = true): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return '[]';
  if (typeof value === 'object') return '{}';
  const text = String(value);
  if (/[\x00-\x08\x0b-\x1f\x7f]/.test(text) || (!fold && text.includes('\n'))) return JSON.stringify(text);
  const plain =
    text !== '' &&
    !text.includes('\n') &&
    !RESOLVES.some(r => r.test(text)) &&
    !/^[[\]{},#&*!|>'"%@`]/.test(text) &&
    !/^[-?:](?:\s|$)/.test(text) &&
    !/^\s|\s$/.test(text) &&
    !/: |:$| #/.test(text) &&
    text !== '---' &&
    text !== '...';
  if (plain) return fold ? folded(text, column, continuation) : text;
  const quoted = text.replace(/'/g, "''").split('\n').join(`\n\n${continuation}`);
  return fold ? folded(`'${quoted}'`, column, continuation) : `'${quoted}'`;
}

/** PyYAML breaks a line at a single space once the column is past the best width. */
function folded(text: string, column: number, continuation: string): string {
  if (text.includes('\n')) return text;
  const words = text.split(' ');
  let out = words[0]!;
  let col = column + out.length;
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    const single = word !== '' && words[i - 1] !== '';
    if (single && col > WIDTH && i < words.length) {
      out += `\n${continuation}${word}`;
      col = continuation.length + word.length;
    } else {
      out += ` ${word}`;
      col += 1 + word.length;
    }
  }
  return out;
}

// The part of a POSIX shell an az line needs: splitting into words with '…', "…", $'…' and \
// quoting, `$VAR`/`${VAR}`/`"$VAR"` expansion, and `$(az …)` command substitution, so the
// lab terminal and script replay read a line the way bash would (bash(1), QUOTING).

export type Substitute = (commandLine: string) => Promise<string>;

export interface ExpandOptions {
  variables: ReadonlyMap<string, string>;
  /** Runs `$(…)`; its output, with trailing newlines removed, replaces it. */
  substitute?: Substitute;
}

export class ShellSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellSyntaxError';
  }
}

interface Piece {
  text: string;
  /** Unquoted expansion results are split on whitespace (bash field splitting). */
  split: boolean;
}

/** Splits a line into words, expanding variables and command substitutions. */
export async function shellWords(line: string, options: ExpandOptions): Promise<string[]> {
  const words: string[] = [];
  let current: Piece[] | undefined;
  const push = (piece: Piece) => (current ??= []).push(piece);
  const finish = () => {
    if (!current) return;
    words.push(...fieldSplit(current));
    current = undefined;
  };
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      finish();
      i++;
    } else if (c === '#' && !current) {
      break;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) throw new ShellSyntaxError("unexpected EOF while looking for matching `''");
      push({ text: line.slice(i + 1, end), split: false });
      i = end + 1;
    } else if (c === '"') {
      const [text, next] = await doubleQuoted(line, i + 1, options);
      push({ text, split: false });
      i = next;
    } else if (c === '\\') {
      if (i + 1 < line.length && line[i + 1] !== '\n') push({ text: line[i + 1]!, split: false });
      i += 2;
    } else if (c === '$' && line[i + 1] === "'") {
      const [text, next] = ansiCQuoted(line, i + 2);
      push({ text, split: false });
      i = next;
    } else if (c === '$') {
      const [text, next] = await dollar(line, i, options);
      push({ text, split: true });
      i = next;
    } else {
      push({ text: c, split: false });
      i++;
    }
  }
  finish();
  return words;
}

function fieldSplit(pieces: Piece[]): string[] {
  const fields: string[] = [];
  let field = '';
  let started = false;
  for (const piece of pieces) {
    if (!piece.split) {
      field += piece.text;
      started = true;
      continue;
    }
    const parts = piece.text.split(/[ \t\n]+/);
    parts.forEach((part, index) => {
      if (index > 0 && (started || field)) {
        fields.push(field);
        field = '';
        started = false;
      }
      if (part) {
        field += part;
        started = true;
      }
    });
  }
  if (started || field) fields.push(field);
  return fields;
}

async function doubleQuoted(line: string, start: number, options: ExpandOptions): Promise<[string, number]> {
  let text = '';
  let i = start;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '"') return [text, i + 1];
    if (c === '\\' && i + 1 < line.length && '$`"\\\n'.includes(line[i + 1]!)) {
      if (line[i + 1] !== '\n') text += line[i + 1];
      i += 2;
    } else if (c === '$') {
      const [value, next] = await dollar(line, i, options);
      text += value;
      i = next;
    } else {
      text += c;
      i++;
    }
  }
  throw new ShellSyntaxError('unexpected EOF while looking for matching `"\'');
}

const SIMPLE_ESCAPES: Record<string, number> = {
  a: 7,
  b: 8,
  e: 27,
  E: 27,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '\\': 92,
  "'": 39,
  '"': 34,
  '?': 63,
};

/** `$'…'` (ANSI-C quoting): backslash escapes, `\xHH` and octal bytes decoded as UTF-8, `\uHHHH`. */
function ansiCQuoted(line: string, start: number): [string, number] {
  const bytes: number[] = [];
  const text = (s: string) => bytes.push(...new TextEncoder().encode(s));
  let i = start;
  while (i < line.length) {
    const c = line[i]!;
    if (c === "'") return [new TextDecoder('utf-8', { ignoreBOM: true }).decode(Uint8Array.from(bytes)), i + 1];
    if (c !== '\\' || i + 1 >= line.length) {
      const point = line.codePointAt(i)!;
      text(String.fromCodePoint(point));
      i += point > 0xffff ? 2 : 1;
      continue;
    }
    const e = line[i + 1]!;
    let m: RegExpExecArray | null;
    if (e in SIMPLE_ESCAPES) {
      bytes.push(SIMPLE_ESCAPES[e]!);
      i += 2;
    } else if ((m = /^x([0-9A-Fa-f]{1,2})/.exec(line.slice(i + 1, i + 4)))) {
      bytes.push(parseInt(m[1]!, 16));
      i += 1 + m[0].length;
    } else if ((m = /^[0-7]{1,3}/.exec(line.slice(i + 1, i + 4)))) {
      bytes.push(parseInt(m[0], 8) & 0xff);
      i += 1 + m[0].length;
    } else if ((m = /^(u[0-9A-Fa-f]{1,4}|U[0-9A-Fa-f]{1,8})/.exec(line.slice(i + 1, i + 10)))) {
      const point = parseInt(m[0].slice(1), 16);
      text(point <= 0x10ffff ? String.fromCodePoint(point) : '\uFFFD');
      i += 1 + m[0].length;
    } else {
      // Unknown escapes stay as they are, backslash included (as bash leaves them).
      text(`\\${e}`);
      i += 2;
    }
  }
  throw new ShellSyntaxError("unexpected EOF while looking for matching `''");
}

async function dollar(line: string, i: number, options: ExpandOptions): Promise<[string, number]> {
  const next = line[i + 1];
  if (next === '(') {
    const end = matchingParen(line, i + 2);
    if (!options.substitute) throw new ShellSyntaxError('command substitution is not available here');
    const output = await options.substitute(line.slice(i + 2, end));
    return [output.replace(/\n+$/, ''), end + 1];
  }
  if (next === '{') {
    const end = line.indexOf('}', i + 2);
    if (end === -1) throw new ShellSyntaxError('bad substitution');
    return [options.variables.get(line.slice(i + 2, end)) ?? '', end + 1];
  }
  const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(line.slice(i + 1))?.[0];
  if (!name) return ['$', i + 1];
  return [options.variables.get(name) ?? '', i + 1 + name.length];
}

function matchingParen(line: string, start: number): number {
  let depth = 1;
  let quote: string | undefined;
  for (let i = start; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  throw new ShellSyntaxError("unexpected EOF while looking for matching `)'");
}

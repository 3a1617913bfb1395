// Small pieces of T-SQL syntax the statements share: names, literals, lists split at
// top-level commas (outside strings, brackets and parentheses).
import { SqlError } from './sqlError';
import { MSG } from './messages';
import type { SqlValue } from './types';

/** A name: [bracketed], "quoted" or plain (plain names may hold - and . here, for lenience with user names). */
export const NAME = String.raw`(?:\[(?:[^\]]|\]\])+\]|"(?:[^"]|"")+"|[A-Za-z_][\w@$#.-]*)`;
/** A table: `name` or `schema.name`. */
export const TABLE = String.raw`(?:\[(?:[^\]]|\]\])+\]|"(?:[^"]|"")+"|[A-Za-z_][\w@$#]*)(?:\s*\.\s*(?:\[(?:[^\]]|\]\])+\]|"(?:[^"]|"")+"|[A-Za-z_][\w@$#]*))?`;

/** Where the quoted string or bracketed name opening at `open` ends (its closing character; a doubled one is an escape). */
function quotedEnd(text: string, open: number): number {
  const close = text[open] === '[' ? ']' : text[open];
  let i = open + 1;
  for (; i < text.length; i++) {
    if (text[i] !== close) continue;
    if (text[i + 1] === close) i++;
    else break;
  }
  return i;
}

/** Splits `a, 'b,c', f(x, y)` at its top-level commas. */
export function splitTopLevel(text: string, separator = ','): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '[' || c === '"') {
      i = quotedEnd(text, i);
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map(p => p.trim());
}

/** Where a keyword stands at the top level of a statement (outside strings, names and parentheses), or -1. */
export function topLevelKeyword(text: string, keyword: string): number {
  const pattern = new RegExp(String.raw`^${keyword}\b`, 'i');
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '[' || c === '"') {
      i = quotedEnd(text, i);
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && /\s/.test(text[i - 1] ?? ' ') && pattern.test(text.slice(i, i + keyword.length + 1))) return i;
  }
  return -1;
}

/** A literal: 'text' (or N'text'), an integer, or NULL; undefined when `text` is none of them. */
export function parseLiteral(text: string): { value: SqlValue } | undefined {
  const t = text.trim();
  const string = /^N?'((?:[^']|'')*)'$/is.exec(t);
  if (string) return { value: string[1]!.replace(/''/g, "'") };
  if (/^[-+]?\d+$/.test(t)) return { value: Number(t) };
  if (/^null$/i.test(t)) return { value: null };
  return undefined;
}

/** The values of one VALUES row: `(1, 'a', NULL)` without its parentheses. */
export function parseValueList(text: string): SqlValue[] {
  return splitTopLevel(text).map(part => {
    const literal = parseLiteral(part);
    if (!literal) throw new SqlError(102, 15, MSG.incorrectSyntax(part.split(/\s+/)[0]!.slice(0, 60) || ','));
    return literal.value;
  });
}

/** The rows after VALUES: `(…), (…)`. */
export function parseValueRows(text: string): SqlValue[][] {
  const rows: SqlValue[][] = [];
  let rest = text.trim();
  while (rest) {
    if (rest[0] !== '(') throw new SqlError(102, 15, MSG.incorrectSyntax(rest.slice(0, 20)));
    let depth = 0;
    let end = -1;
    for (let i = 0; i < rest.length && end === -1; i++) {
      const c = rest[i]!;
      if (c === "'") {
        for (i++; i < rest.length; i++) {
          if (rest[i] === "'") {
            if (rest[i + 1] === "'") i++;
            else break;
          }
        }
      } else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) end = i;
    }
    if (end === -1) throw new SqlError(102, 15, MSG.incorrectSyntax(rest.slice(0, 20)));
    rows.push(parseValueList(rest.slice(1, end)));
    rest = rest.slice(end + 1).trim();
    if (rest.startsWith(',')) rest = rest.slice(1).trim();
    else if (rest) throw new SqlError(102, 15, MSG.incorrectSyntax(rest.slice(0, 20)));
  }
  return rows;
}

// Pasted error texts arrive with noise: ANSI colours, CRLF, Terraform's │ boxes, JSON-escaped
// `\r\n` and `\"` (once or twice), HTML entities, Markdown (`**bold**`, auto-links that split a
// code: "AADSTS700[21](https://…)1"). This undoes them. Linear time: every pattern below does
// bounded work per position (no nested or unbounded quantifiers that could backtrack).

/** Pastes longer than this are read up to here (1 MB pastes are read whole). */
export const MAX_TEXT_CHARS = 2 * 1024 * 1024;

export interface NormalizedText {
  /** The text, cleaned, keeping its lines. */
  lines: string;
  /** The same on one line, every run of white space one space: what phrases are matched against. */
  flat: string;
  /** `flat` with A–Z lower-cased (same length, same offsets). */
  lower: string;
  /** True when the paste was longer than MAX_TEXT_CHARS and was cut. */
  cut: boolean;
}

const ANSI = /\x1b(?:\[[0-9;?]{0,32}[ -/]{0,4}[@-~]|\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)?|[@-Z\\-_])/g;
const DOUBLE_BACKSLASH = /\\\\/g;
// `\n` before a lower-case letter is more likely a Windows path (C:\Users\nick) than an escape.
const ESCAPED_BREAK = /\\r\\n|\\n(?![a-z])|\\r(?![a-z])/g;
const ESCAPED_TAB = /\\t(?![a-z])/g;
const ESCAPED_QUOTE = /\\"/g;
const ESCAPED_UNICODE = /\\u([0-9a-fA-F]{4})/g;
const ENTITY = /&(amp|quot|apos|lt|gt|#\d{1,6}|#x[0-9a-fA-F]{1,6});/g;
const BOX = /[│╷╵┃]/g;
const BOLD = /\*\*/g;
const MARKDOWN_LINK = /\[([^\]\n[]{0,80})\]\([^()\s]{0,400}\)/g;
const WHITESPACE = /\s+/g;
const UPPER = /[A-Z]+/g;
// Control characters other than tab and newline (binary pastes) become spaces.
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

const NAMED: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' };

function decodeEntity(_: string, name: string): string {
  if (name[0] !== '#') return NAMED[name] ?? '';
  const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
  return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
}

function unescapeOnce(text: string): string {
  return text
    .replace(DOUBLE_BACKSLASH, '\\')
    .replace(ESCAPED_BREAK, '\n')
    .replace(ESCAPED_TAB, '\t')
    .replace(ESCAPED_QUOTE, '"')
    .replace(ESCAPED_UNICODE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function cleanChunk(chunk: string): string {
  let text = chunk.replace(ANSI, '').replace(/\r\n?/g, '\n');
  // Twice: a JSON string inside a JSON string (Go's logs quote the quoted body) carries `\\r\\n`.
  text = unescapeOnce(unescapeOnce(text));
  // Three times: pastes from HTML pages double-encode (`&amp;amp;#39;`).
  for (let i = 0; i < 3 && text.includes('&'); i++) text = text.replace(ENTITY, decodeEntity);
  return text.replace(CONTROL, ' ').replace(BOX, ' ').replace(BOLD, '').replace(MARKDOWN_LINK, '$1');
}

/** Pieces of this size are cleaned one at a time: the same work, but V8 keeps them in its young generation (3× faster on a 1 MB paste, and linear). */
const CHUNK = 64 * 1024;

/** Where to cut near `at`: after white space (no escape, entity or link spans it), else at `at`. */
function cutAt(text: string, at: number): number {
  for (let i = at; i > at - 2048 && i > 0; i--) if (text.charCodeAt(i - 1) <= 32) return i;
  return at;
}

export function normalizeText(raw: string): NormalizedText {
  const cut = raw.length > MAX_TEXT_CHARS;
  const input = cut ? raw.slice(0, MAX_TEXT_CHARS) : raw;
  const lines: string[] = [];
  const flats: string[] = [];
  for (let start = 0; start < input.length;) {
    const end = start + CHUNK >= input.length ? input.length : cutAt(input, start + CHUNK);
    const text = cleanChunk(input.slice(start, end));
    let flat = text.replace(WHITESPACE, ' ');
    // A run of white space across the cut stays one space.
    if (flat.startsWith(' ') && flats.length && flats[flats.length - 1]!.endsWith(' ')) flat = flat.slice(1);
    lines.push(text);
    flats.push(flat);
    start = end;
  }
  const flat = flats.join('');
  return { lines: lines.join(''), flat, lower: flat.replace(UPPER, s => s.toLowerCase()), cut };
}

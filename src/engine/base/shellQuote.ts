// Quoting words for bash, so that bash reads back exactly the value and runs nothing: the
// `az` twins of UI actions, exported scripts and `milab env` all write shell words through
// these. Also safe to paste into an interactive bash (no `!` history expansion, no globbing),
// and readable: control, invisible and bidirectional characters are written as `$'\xHH'`
// escapes, so a script never shows text in an order or shape other than what it runs.

/** A script variable inside a word (`"$SUBSCRIPTION"`): bash expands it, and nothing else. */
export interface ShellVariable {
  variable: string;
}

/** A word made of literal text and script variables. */
export type WordPart = string | ShellVariable;

/** A value bash cannot hold in a word: a NUL character, or text that is not valid Unicode (a lone surrogate). */
export class UnquotableWordError extends Error {
  constructor(readonly word: string) {
    super(
      `'${word.slice(0, 60).replace(/[\0\uD800-\uDFFF]/g, '?')}…' cannot be written as a bash word (it holds a NUL or a lone surrogate).`,
    );
    this.name = 'UnquotableWordError';
  }
}

/** Words that need no quotes at all: no glob, brace, tilde, history or expansion characters. */
const BARE = /^[A-Za-z0-9_@%+=:,./-]+$/;
/** What double quotes leave alone: everything but `$`, backquote, `"`, `\` and `!` (history expansion). */
const DOUBLE_QUOTE_SAFE = /^[^$`"\\!]*$/;
/** Written as escapes: controls (newline, tab…), invisible format characters (bidi overrides, zero widths), line separators. */
const ESCAPED = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu;
const NEEDS_ESCAPES = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const UNQUOTABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `$'…'` with each UTF-8 byte as `\xHH` (newline and tab by name): the same bytes in every locale. */
function ansiC(text: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) {
    out += byte === 0x0a ? '\\n' : byte === 0x09 ? '\\t' : `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `$'${out}'`;
}

/** A word in single quotes, whatever it holds: nothing inside is expanded (`export NAME='…'` lines). */
export const singleQuoted = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** Quotes text that holds no escaped characters: double quotes when they read better and are safe, else single quotes. */
const quotePlain = (text: string): string => (DOUBLE_QUOTE_SAFE.test(text) ? `"${text}"` : singleQuoted(text));

/** Splits text into runs: plain text, and the characters written as escapes. */
function runs(text: string): Array<{ text: string; escaped: boolean }> {
  const out: Array<{ text: string; escaped: boolean }> = [];
  let at = 0;
  for (const match of text.matchAll(ESCAPED)) {
    if (match.index > at) out.push({ text: text.slice(at, match.index), escaped: false });
    out.push({ text: match[0], escaped: true });
    at = match.index + match[0].length;
  }
  if (at < text.length) out.push({ text: text.slice(at), escaped: false });
  return out;
}

function assertQuotable(word: string): void {
  if (UNQUOTABLE.test(word)) throw new UnquotableWordError(word);
}

/**
 * Quotes a word for bash: bare when safe, in double quotes when only spaces or other harmless
 * characters need it (as Azure's docs write `--role "Key Vault Secrets User"`), otherwise in
 * single quotes, with control and invisible characters as `$'\xHH'`. Throws UnquotableWordError
 * for a NUL or a lone surrogate, which no bash word can hold.
 */
export function shellQuote(word: string): string {
  assertQuotable(word);
  if (BARE.test(word)) return word;
  if (word === '') return '""';
  return runs(word)
    .map(run => (run.escaped ? ansiC(run.text) : quotePlain(run.text)))
    .join('');
}

/**
 * Quotes a word made of literal text and script variables: the variables expand, nothing in the
 * text does (`"/subscriptions/$SUBSCRIPTION/resourceGroups/rg"`, or with closed quotes around
 * the variable when the text needs single quotes: `'{"Name":"a$b"}'"$SUBSCRIPTION"'…'`).
 */
export function shellQuoteParts(parts: readonly WordPart[]): string {
  const texts = parts.filter((p): p is string => typeof p === 'string');
  for (const text of texts) assertQuotable(text);
  for (const part of parts) {
    if (typeof part !== 'string' && !NAME.test(part.variable)) throw new Error(`not a variable name: ${part.variable}`);
  }
  if (!parts.some(p => typeof p !== 'string')) return shellQuote(texts.join(''));
  const reference = (variable: string, next: WordPart | undefined) =>
    typeof next === 'string' && /^[A-Za-z0-9_]/.test(next) ? `\${${variable}}` : `$${variable}`;
  // The readable form, when every literal piece is safe inside one pair of double quotes.
  if (texts.every(t => DOUBLE_QUOTE_SAFE.test(t) && !NEEDS_ESCAPES.test(t))) {
    return `"${parts.map((p, i) => (typeof p === 'string' ? p : reference(p.variable, parts[i + 1]))).join('')}"`;
  }
  return parts
    .map(p =>
      typeof p === 'string'
        ? p === ''
          ? ''
          : runs(p)
              .map(r => (r.escaped ? ansiC(r.text) : singleQuoted(r.text)))
              .join('')
        : `"$${p.variable}"`,
    )
    .join('');
}

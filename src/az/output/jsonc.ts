// `--output jsonc`: the JSON output coloured by Pygments' JsonLexer and TerminalFormatter
// (knack/output.py format_json_color). Its light-background palette: object keys (Name.Tag)
// bright blue, strings yellow, numbers and true/false/null (Number, Keyword) blue; each
// token is followed by Pygments' reset sequence. Without colour, az prints plain JSON.
import { toJson } from './json';

const RESET = '\x1b[39;49;00m';
const KEY = '\x1b[94m';
const STRING = '\x1b[33m';
const LITERAL = '\x1b[34m';

const TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|\b(true|false|null)\b/g;

export function toColoredJson(value: unknown): string {
  return toJson(value).replace(
    TOKEN,
    (_match, str: string | undefined, colon: string | undefined, num: string | undefined, word: string | undefined) => {
      if (str !== undefined) return colon !== undefined ? `${KEY}${str}${RESET}${colon}` : `${STRING}${str}${RESET}`;
      return `${LITERAL}${num ?? word}${RESET}`;
    },
  );
}

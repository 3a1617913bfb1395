// Quoting words for bash, so that bash reads back exactly the value: the `az` twins of UI
// actions, exported scripts and `milab env` all write shell words through these.

/**
 * Quotes a word for bash: bare when safe, in double quotes when only spaces or other harmless
 * characters need it (as Azure's docs write `--role "Key Vault Secrets User"`), otherwise in
 * single quotes. `$VAR` references can be kept live with `shellQuoteKeepingVariables`.
 */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./\-[\]]+$/.test(word)) return word;
  if (!/[$`"\\!\n]/.test(word)) return `"${word}"`;
  return singleQuoted(word);
}

/** A word in single quotes, whatever it holds: nothing inside is expanded (`export NAME='…'` lines). */
export const singleQuoted = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

/** Double-quotes a word whose `$NAME` references bash should expand (script variables). */
export function shellQuoteKeepingVariables(word: string): string {
  return `"${word.replace(/[`"\\!]/g, c => `\\${c}`)}"`;
}

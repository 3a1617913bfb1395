// A batch as SQL Server reads it: statements separated by `;` or simply by starting on a new
// line (tedious's first batch is fifteen SET statements, one per line, no semicolons), with
// strings, [bracketed] and "quoted" names and comments respected. Each statement then runs
// in turn; the first error ends the batch, as it does for most errors in SQL Server.
import { SqlError } from './sqlError';
import { LAB_ERROR_NUMBER, LAB_MSG, MSG } from './messages';
import type { SqlSession, StatementResult } from './types';
import { runStatement } from './statements';

/**
 * The longest statement the lab reads. SQL Server itself takes far longer ones; the lab's
 * statement patterns are regular expressions, so a cap keeps a hostile statement cheap.
 */
export const MAX_STATEMENT_LENGTH = 4000;
/** The longest batch, in characters (the doors cap the bytes they read before this). */
export const MAX_BATCH_LENGTH = 256 * 1024;

/** Words that start a statement: a line starting with one begins a new statement. */
const STATEMENT_START =
  /^(select|insert|update|delete|create|alter|drop|set|waitfor|exec|execute|declare|print|use|begin|commit|rollback|grant|revoke|deny|truncate|merge|if|while|return)\b/i;

/** Splits a batch into statements (comments removed). Throws 102/105 for an unclosed string or name. */
export function splitBatch(batch: string): string[] {
  const statements: string[] = [];
  let current = '';
  let depth = 0;
  let i = 0;
  const flush = () => {
    const text = current.trim();
    if (text) statements.push(text);
    current = '';
  };
  while (i < batch.length) {
    const c = batch[i]!;
    const next = batch[i + 1];
    if (c === "'" || c === '[' || c === '"') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      for (;;) {
        const at = batch.indexOf(close, j);
        if (at === -1) {
          // Msg 105: an unclosed quotation mark; an unclosed name reads as a syntax error.
          if (c === "'") throw new SqlError(105, 15, `Unclosed quotation mark after the character string '${batch.slice(i + 1, i + 41)}'.`);
          throw new SqlError(102, 15, MSG.incorrectSyntax(batch.slice(i, i + 40)));
        }
        if (batch[at + 1] === close) {
          j = at + 2;
          continue;
        }
        current += batch.slice(i, at + 1);
        i = at + 1;
        break;
      }
      continue;
    }
    if (c === '-' && next === '-') {
      const end = batch.indexOf('\n', i);
      i = end === -1 ? batch.length : end;
      continue;
    }
    if (c === '/' && next === '*') {
      let nested = 0;
      let j = i;
      while (j < batch.length) {
        if (batch[j] === '/' && batch[j + 1] === '*') {
          nested++;
          j += 2;
        } else if (batch[j] === '*' && batch[j + 1] === '/') {
          nested--;
          j += 2;
          if (nested === 0) break;
        } else j++;
      }
      if (nested > 0) throw new SqlError(113, 15, "Missing end comment mark '*/'.");
      current += ' ';
      i = j;
      continue;
    }
    if (c === '(') depth++;
    if (c === ')') depth = Math.max(0, depth - 1);
    if (c === ';' && depth === 0) {
      flush();
      i++;
      continue;
    }
    if (c === '\n' && depth === 0 && current.trim() && STATEMENT_START.test(batch.slice(i + 1, i + 40).trimStart())) {
      flush();
      i++;
      continue;
    }
    current += c;
    i++;
  }
  flush();
  return statements;
}

/** Runs a batch statement by statement. The door awaits each result's `delayMs` before the next. Throws SqlError at the first failure. */
export function* executeBatch(session: SqlSession, batch: string): Generator<StatementResult, void, void> {
  if (batch.length > MAX_BATCH_LENGTH) {
    throw new SqlError(LAB_ERROR_NUMBER, 16, LAB_MSG.tooLong(batch.length, MAX_BATCH_LENGTH));
  }
  // An empty batch (only blanks or comments) does nothing, and is no error.
  for (const statement of splitBatch(batch)) {
    if (statement.length > MAX_STATEMENT_LENGTH) {
      throw new SqlError(LAB_ERROR_NUMBER, 16, LAB_MSG.tooLong(statement.length, MAX_STATEMENT_LENGTH));
    }
    yield runStatement(session, statement);
  }
}

/** Every result of a batch at once (no waiting): for callers that need no streaming. */
export function runBatch(session: SqlSession, batch: string): StatementResult[] {
  return [...executeBatch(session, batch)];
}

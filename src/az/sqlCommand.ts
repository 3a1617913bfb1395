// `sql SERVER/DATABASE "T-SQL"` (or sqlcmd's `-S SERVER -d DATABASE -Q "T-SQL"`): T-SQL run as the
// signed-in learner against one of the lab's databases, as the portal's query editor or `sqlcmd
// -G` would — the same login rules (Entra admin, contained users) and statements as the TDS and
// JSON doors. Output and errors follow sqlcmd: result sets as columns, "(n rows affected)",
// "Msg N, Level L, State S". The lab terminal and `milab sql` both run it.
import type { Lab } from '../engine/lab/lab';
import { loginAsPrincipal } from '../engine/services/sql/login';
import { learnerCaller } from '../engine/services/dataCaller';
import { executeBatch } from '../engine/services/sql/batch';
import { SqlError } from '../engine/services/sql/sqlError';
import type { StatementResult } from '../engine/services/sql/types';
import type { AzResult } from './run';

export const SQL_USAGE = `Usage: sql SERVER/DATABASE "T-SQL"
       sql -S SERVER -d DATABASE -Q "T-SQL"

Runs T-SQL in one of the lab's Azure SQL databases as you (learner@…), with your Microsoft
Entra token, as sqlcmd -G or the portal's query editor do: you must be the server's Entra admin
or a contained user of the database.

  sql sql-lab/appdb "SELECT * FROM Products"
  sql sql-lab/appdb "CREATE USER [vm-web] FROM EXTERNAL PROVIDER; ALTER ROLE db_datareader ADD MEMBER [vm-web]"
`;

const usage = (message: string): AzResult => ({ exitCode: 2, stdout: '', stderr: `sql: error: ${message}\n${SQL_USAGE}` });

/** `words` are the command's arguments, after `sql`. */
export function runSqlCommand(lab: Lab, words: readonly string[]): AzResult {
  let server: string | undefined;
  let database: string | undefined;
  let query: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '-h' || word === '--help' || word === '-?') return { exitCode: 0, stdout: SQL_USAGE, stderr: '' };
    const take = () => {
      const value = words[++i];
      if (value === undefined) throw new Error(`argument ${word}: expected one argument`);
      return value;
    };
    try {
      if (word === '-S' || word === '--server') server = take();
      else if (word === '-d' || word === '--database') database = take();
      else if (word === '-Q' || word === '-q' || word === '--query') query = take();
      else if (word.startsWith('-') && word.length > 1) return usage(`unrecognized arguments: ${word}`);
      else positional.push(word);
    } catch (error) {
      return usage((error as Error).message);
    }
  }
  if (positional.length && server === undefined && positional[0]!.includes('/')) {
    [server, database] = positional.shift()!.split('/', 2) as [string, string];
  }
  if (query === undefined && positional.length) query = positional.join(' ');
  if (!server || !database) return usage('name the database: SERVER/DATABASE, or -S SERVER -d DATABASE');
  if (!query?.trim()) return usage('give the T-SQL to run (in quotes)');
  // A server named as its host name (sql-lab.database.windows.net) is the same server.
  const target = { server: server.replace(/\.database\.windows\.net$/i, ''), database };
  const login = loginAsPrincipal(lab, learnerCaller(lab), target);
  if (!login.ok) return { exitCode: 1, stdout: '', stderr: sqlcmdError(login.error) };
  const out: string[] = [];
  try {
    for (const result of executeBatch(login.session, query)) out.push(...formatResult(result));
  } catch (error) {
    if (!(error instanceof SqlError)) throw error;
    return { exitCode: 1, stdout: out.join('\n') + (out.length ? '\n' : ''), stderr: sqlcmdError(error) };
  }
  return { exitCode: 0, stdout: out.length ? `${out.join('\n')}\n` : '', stderr: '' };
}

/** sqlcmd's error line: `Msg 18456, Level 14, State 1, Server …, Line 1` then the text. */
function sqlcmdError(error: SqlError): string {
  return `Msg ${error.number}, Level ${error.severity}, State ${error.state}, Line 1\n${error.message}\n`;
}

function formatResult(result: StatementResult): string[] {
  if (result.command === 'set' || result.command === 'waitfor') return [];
  if (!result.columns) return result.rowCount === undefined ? ['Commands completed successfully.'] : [affected(result.rowCount)];
  const header = result.columns.map(c => c.name);
  const rows = (result.rows ?? []).map(r => r.map(v => (v === null ? 'NULL' : String(v))));
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map(r => r[i]!.length))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.slice(0, 60).padEnd(widths[i]!))
      .join(' ')
      .trimEnd();
  return [line(header), widths.map(w => '-'.repeat(w)).join(' '), ...rows.map(line), '', affected(rows.length)];
}

const affected = (n: number): string => `(${n} row${n === 1 ? '' : 's'} affected)`;

// `milab sql [--state DIR] SERVER/DATABASE "T-SQL"`: T-SQL as the signed-in learner in one of the
// lab's databases (the lab terminal's `sql`), in the running lab for DIR or on its saved state
// under the directory's lock (inLab.ts).
import * as path from 'node:path';
import type { CliIo } from './cli';
import { runSqlCommand, SQL_USAGE } from '../az/sqlCommand';
import { splitState, viaRunningLab } from './labShell';
import { runInLab } from './inLab';

export const MILAB_SQL_USAGE = `${SQL_USAGE.replace(/^Usage: sql/gm, 'Usage: milab sql [--state DIR]').replace(/^ {7}sql/m, '       milab sql [--state DIR]')}`;

export async function sql(argv: string[], io: CliIo): Promise<number> {
  const split = splitState(argv);
  if ('error' in split) {
    io.stderr.write(`milab sql: error: ${split.error}\n${MILAB_SQL_USAGE}`);
    return 2;
  }
  if (split.rest.some(a => a === '-h' || a === '--help')) {
    io.stdout.write(MILAB_SQL_USAGE);
    return 0;
  }
  const stateDir = path.resolve(split.stateDir);
  const result = await runInLab(
    stateDir,
    {
      name: 'milab sql',
      online: running => viaRunningLab(running.url, running.controlToken, 'sql', split.rest),
      offline: async lab => runSqlCommand(lab, split.rest),
    },
    io,
  );
  if (result === undefined) return 1;
  io.stdout.write(result.stdout);
  io.stderr.write(result.stderr.replace(/^Usage: sql/gm, 'Usage: milab sql [--state DIR]'));
  return result.exitCode;
}

// `milab sql [--state DIR] SERVER/DATABASE "T-SQL"`: T-SQL as the signed-in learner in one of the
// lab's databases (the lab terminal's `sql`), in the running lab for DIR or on its saved state.
import * as path from 'node:path';
import type { CliIo } from './cli';
import { readDiscovery } from '../host/discovery';
import { loadOrCreateLab, LabStateError } from '../host/labHost';
import { writeStateFile } from '../host/stateFile';
import { runSqlCommand, SQL_USAGE } from '../az/sqlCommand';
import { splitState, viaRunningLab } from './labShell';

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
  const running = await readDiscovery(stateDir);
  let result;
  if (running) {
    try {
      result = await viaRunningLab(running.url, running.controlToken, 'sql', split.rest);
    } catch (error) {
      io.stderr.write(
        `milab sql: the lab running for ${stateDir} (pid ${running.pid}) did not answer at ${running.url}: ${(error as Error).message}\n`,
      );
      return 1;
    }
  } else {
    let loaded;
    try {
      loaded = await loadOrCreateLab(stateDir);
    } catch (error) {
      if (!(error instanceof LabStateError)) throw error;
      io.stderr.write(`milab sql: ${error.message}\n`);
      return 1;
    }
    const before = loaded.lab.toJson();
    result = runSqlCommand(loaded.lab, split.rest);
    if (result.exitCode === 0 && loaded.lab.toJson() !== before) await writeStateFile(stateDir, loaded.lab.toState());
  }
  io.stdout.write(result.stdout);
  io.stderr.write(result.stderr.replace(/^Usage: sql/gm, 'Usage: milab sql [--state DIR]'));
  return result.exitCode;
}

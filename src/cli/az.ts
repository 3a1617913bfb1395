// `milab az …`: the lab's az commands from any shell, in the lab running over the state
// directory or on its saved state under the directory's lock (inLab.ts); the state is written
// back only if the command succeeded and changed something. Exit 0 means the change is on disk.
// Exit codes are az's: 0 success, 1 error, 2 usage error.
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import type { CliIo } from './cli';
import { runAz, type AzFiles } from '../az';
import { AZ_SHIM_VARIABLE } from '../host/azShim';
import { splitState, viaRunningLab } from './labShell';
import { runInLab } from './inLab';

export const AZ_USAGE = `Usage: milab az [--state DIR] <az command> [az arguments]

Runs an az command against the lab for DIR (default ./.milab): the running lab if there is
one, otherwise the saved state. Try 'milab az --help' for the command groups.
`;

const localFiles: AzFiles = {
  read: async file => new Uint8Array(await fs.readFile(path.resolve(file))),
  write: (file, data) => fs.writeFile(path.resolve(file), data),
};

export async function az(argv: string[], io: CliIo): Promise<number> {
  const split = splitState(argv);
  if ('error' in split) {
    io.stderr.write(`milab az: error: ${split.error}\n${AZ_USAGE}`);
    return 2;
  }
  const stateDir = path.resolve(split.stateDir);
  const azArgs = split.rest;
  const tty = (stream: NodeJS.WritableStream) => stream as NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  const color = Boolean(tty(io.stderr).isTTY) && !process.env['NO_COLOR'];
  const columns = tty(io.stdout).columns;
  const options = { color, ...(columns ? { columns } : {}) };

  // Run as the lab's az on PATH (milab env --as local): say where, and when this process started (AzureCliCredential's attempt began then).
  const pathShim = process.env[AZ_SHIM_VARIABLE] ? { cwd: process.cwd(), startedAt: Math.round(performance.timeOrigin) } : undefined;
  const result = await runInLab(
    stateDir,
    {
      name: 'milab az',
      online: running => viaRunningLab(running.url, running.controlToken, 'az', azArgs, { ...options, ...(pathShim ? { pathShim } : {}) }),
      offline: lab => runAz(lab, azArgs, { ...options, files: localFiles }),
    },
    io,
  );
  if (result === undefined) return 1;
  io.stdout.write(result.stdout);
  io.stderr.write(result.stderr);
  return result.exitCode;
}

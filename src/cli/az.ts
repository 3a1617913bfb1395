// `milab az …`: the lab's az commands from any shell. When a lab is running over the state
// directory (`milab serve`, or VS Code), the command goes to it over loopback and it saves;
// otherwise the state is loaded, the command runs here, and the state is written back
// (atomically) only if the command succeeded and changed something. Exit codes are az's:
// 0 success, 1 error, 2 usage error.
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import type { CliIo } from './cli';
import { readDiscovery } from '../host/discovery';
import { loadOrCreateLab, LabStateError } from '../host/labHost';
import { writeStateFile } from '../host/stateFile';
import { runAz, type AzFiles } from '../az';
import { splitState, viaRunningLab } from './labShell';
import type { ControlResult } from '../server/controlProtocol';

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

  let result: ControlResult;
  const running = await readDiscovery(stateDir);
  if (running) {
    try {
      result = await viaRunningLab(running.url, running.controlToken, 'az', azArgs, options);
    } catch (error) {
      io.stderr.write(
        `milab az: the lab running for ${stateDir} (pid ${running.pid}) did not answer at ${running.url}: ${(error as Error).message}\n`,
      );
      return 1;
    }
  } else {
    let loaded;
    try {
      loaded = await loadOrCreateLab(stateDir);
    } catch (error) {
      if (!(error instanceof LabStateError)) throw error;
      io.stderr.write(`milab az: ${error.message}\n`);
      return 1;
    }
    const before = JSON.stringify(loaded.lab.toState());
    result = await runAz(loaded.lab, azArgs, { ...options, files: localFiles });
    const after = JSON.stringify(loaded.lab.toState());
    if (result.exitCode === 0 && after !== before) await writeStateFile(stateDir, loaded.lab.toState());
  }
  io.stdout.write(result.stdout);
  io.stderr.write(result.stderr);
  return result.exitCode;
}

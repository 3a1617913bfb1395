// `milab az …`: the lab's az commands from any shell. When a lab is running over the state
// directory (`milab serve`, or VS Code), the command goes to it over loopback and it saves
// before it answers; otherwise, holding the directory's lock (waiting briefly for another
// writer, or going to a lab that starts meanwhile), the state is loaded, the command runs here,
// and the state is written back (atomically, durably) only if the command succeeded and
// changed something. Exit 0 means the change is on disk. Exit codes are az's: 0 success,
// 1 error, 2 usage error.
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import type { CliIo } from './cli';
import { readDiscovery } from '../host/discovery';
import { describeBusy, LOCK_WAIT_MS, loadOrCreateLab, LabStateError } from '../host/labHost';
import { STATE_FILE, writeStateFile } from '../host/stateFile';
import { acquireLock, StateLockedError, type StateLock } from '../host/stateLock';
import { runAz, type AzFiles, type AzResult } from '../az';
import { CONTROL_AZ_PATH, CONTROL_HEADER, type ControlAzRequest } from '../server/controlProtocol';
import { AZ_SHIM_VARIABLE } from '../host/azShim';

export const AZ_USAGE = `Usage: milab az [--state DIR] <az command> [az arguments]

Runs an az command against the lab for DIR (default ./.milab): the running lab if there is
one, otherwise the saved state. Try 'milab az --help' for the command groups.
`;

/** Takes `--state DIR` / `--state=DIR` out of the arguments; everything else is az's. */
function splitState(argv: readonly string[]): { stateDir: string; azArgs: string[] } | { error: string } {
  const azArgs: string[] = [];
  let stateDir = '.milab';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--state') {
      const value = argv[++i];
      if (value === undefined) return { error: 'argument --state: expected one argument' };
      stateDir = value;
    } else if (arg.startsWith('--state=')) {
      stateDir = arg.slice('--state='.length);
    } else {
      azArgs.push(arg);
    }
  }
  return { stateDir: path.resolve(stateDir), azArgs };
}

const localFiles: AzFiles = {
  read: async file => new Uint8Array(await fs.readFile(path.resolve(file))),
  write: (file, data) => fs.writeFile(path.resolve(file), data),
};

async function viaRunningLab(url: string, token: string, argv: string[], options: { columns?: number; color: boolean }): Promise<AzResult> {
  // Run as the lab's az on PATH (milab env --as local): say where, and when this process started (AzureCliCredential's attempt began then).
  const pathShim = process.env[AZ_SHIM_VARIABLE] ? { cwd: process.cwd(), startedAt: Math.round(performance.timeOrigin) } : undefined;
  const request: ControlAzRequest = { argv, ...options, ...(pathShim ? { pathShim } : {}) };
  const response = await fetch(`${url}${CONTROL_AZ_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CONTROL_HEADER]: token },
    body: JSON.stringify(request),
    signal: AbortSignal.timeout(60_000),
  });
  const body = (await response.json()) as Partial<AzResult> & { error?: { message?: string } };
  if (!response.ok || typeof body.exitCode !== 'number') throw new Error(body.error?.message ?? `HTTP ${response.status}`);
  return { exitCode: body.exitCode, stdout: String(body.stdout ?? ''), stderr: String(body.stderr ?? '') };
}

export async function az(argv: string[], io: CliIo): Promise<number> {
  const split = splitState(argv);
  if ('error' in split) {
    io.stderr.write(`milab az: error: ${split.error}\n${AZ_USAGE}`);
    return 2;
  }
  const { stateDir, azArgs } = split;
  const tty = (stream: NodeJS.WritableStream) => stream as NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  const color = Boolean(tty(io.stderr).isTTY) && !process.env['NO_COLOR'];
  const columns = tty(io.stdout).columns;
  const options = { color, ...(columns ? { columns } : {}) };

  let result: AzResult | undefined;
  for (;;) {
    const running = await readDiscovery(stateDir);
    if (running) {
      try {
        result = await viaRunningLab(running.url, running.controlToken, azArgs, options);
      } catch (error) {
        io.stderr.write(
          `milab az: the lab running for ${stateDir} (pid ${running.pid}) did not answer at ${running.url}: ${(error as Error).message}\n`,
        );
        return 1;
      }
      break;
    }
    let lock: StateLock | undefined;
    try {
      // Waits for another writer; stops waiting when a lab comes up for the directory (then it gets the command).
      lock = await acquireLock(stateDir, 'milab az', {
        waitMs: LOCK_WAIT_MS,
        giveUp: async () => (await readDiscovery(stateDir)) !== undefined,
      });
    } catch (error) {
      if (!(error instanceof StateLockedError)) throw error;
      io.stderr.write(`milab az: ${await describeBusy(stateDir, error)}\n`);
      return 1;
    }
    if (!lock) continue;
    try {
      result = await runOffline(stateDir, azArgs, options, io);
    } finally {
      await lock.release();
    }
    if (result === undefined) return 1;
    break;
  }
  io.stdout.write(result.stdout);
  io.stderr.write(result.stderr);
  return result.exitCode;
}

/** The command on the saved state, written back only if it succeeded and changed something. Undefined when it could not run. */
async function runOffline(
  stateDir: string,
  azArgs: string[],
  options: { columns?: number; color: boolean },
  io: CliIo,
): Promise<AzResult | undefined> {
  let loaded;
  try {
    loaded = await loadOrCreateLab(stateDir);
  } catch (error) {
    if (!(error instanceof LabStateError)) throw error;
    io.stderr.write(`milab az: ${error.message}\n`);
    return undefined;
  }
  const before = JSON.stringify(loaded.lab.toState());
  const result = await runAz(loaded.lab, azArgs, { ...options, files: localFiles });
  const after = JSON.stringify(loaded.lab.toState());
  if (result.exitCode !== 0 || after === before) return result;
  try {
    await writeStateFile(stateDir, loaded.lab.toState());
  } catch (error) {
    // Nothing was acknowledged: the file on disk is the state from before the command.
    return {
      exitCode: 1,
      stdout: '',
      stderr:
        result.stderr +
        `ERROR: The command ran, but its change could not be saved to ${path.join(stateDir, STATE_FILE)}: ${(error as Error).message}. ` +
        'The lab was left as it was before the command.\n',
    };
  }
  return result;
}

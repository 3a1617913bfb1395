// How a `milab` command that may change the lab reaches it (az, sql, scenario): the lab running
// for the state directory, through its control endpoint (it saves before it answers); otherwise,
// holding the directory's lock (waiting briefly for another writer, or going to a lab that starts
// meanwhile), the saved state is loaded, the command runs here, and the state is written back
// (atomically, durably) when it changed. Exit 0 then means the change is on disk.
import * as path from 'node:path';
import type { CliIo } from './cli';
import type { Lab } from '../engine/lab/lab';
import { readDiscovery, type Discovery } from '../host/discovery';
import { describeBusy, LOCK_WAIT_MS, loadOrCreateLab, LabStateError } from '../host/labHost';
import { STATE_FILE, writeStateFile } from '../host/stateFile';
import { acquireLock, StateLockedError, type StateLock } from '../host/stateLock';
import type { ControlResult } from '../server/controlProtocol';

export interface LabCommand {
  /** How the command names itself in errors: `milab az`. */
  name: string;
  /** The command in the running lab. Throws when the lab does not answer. */
  online(running: Discovery): Promise<ControlResult>;
  /** The command on the loaded lab, here. */
  offline(lab: Lab): Promise<ControlResult>;
  /** Write a change back even when the command exits non-zero (a scenario check that is not solved yet still counts). */
  saveOnFailure?: boolean;
}

/** The command's result, or undefined when it could not run (the reason is on stderr). */
export async function runInLab(stateDir: string, command: LabCommand, io: CliIo): Promise<ControlResult | undefined> {
  for (;;) {
    const running = await readDiscovery(stateDir);
    if (running) {
      try {
        return await command.online(running);
      } catch (error) {
        io.stderr.write(
          `${command.name}: the lab running for ${stateDir} (pid ${running.pid}) did not answer at ${running.url}: ${(error as Error).message}\n`,
        );
        return undefined;
      }
    }
    let lock: StateLock | undefined;
    try {
      // Waits for another writer; stops waiting when a lab comes up for the directory (then it gets the command).
      lock = await acquireLock(stateDir, command.name, {
        waitMs: LOCK_WAIT_MS,
        giveUp: async () => (await readDiscovery(stateDir)) !== undefined,
      });
    } catch (error) {
      if (!(error instanceof StateLockedError)) throw error;
      io.stderr.write(`${command.name}: ${await describeBusy(stateDir, error)}\n`);
      return undefined;
    }
    if (!lock) continue;
    try {
      return await runOffline(stateDir, command, io);
    } finally {
      await lock.release();
    }
  }
}

/** The command on the saved state, written back only if it changed something (and succeeded, unless `saveOnFailure`). */
async function runOffline(stateDir: string, command: LabCommand, io: CliIo): Promise<ControlResult | undefined> {
  let loaded;
  try {
    loaded = await loadOrCreateLab(stateDir);
  } catch (error) {
    if (!(error instanceof LabStateError)) throw error;
    io.stderr.write(`${command.name}: ${error.message}\n`);
    return undefined;
  }
  const before = loaded.lab.toJson();
  const result = await command.offline(loaded.lab);
  if ((result.exitCode !== 0 && !command.saveOnFailure) || loaded.lab.toJson() === before) return result;
  try {
    await writeStateFile(stateDir, loaded.lab.toState());
  } catch (error) {
    // Nothing was acknowledged: the file on disk is the state from before the command.
    return {
      exitCode: 1,
      stdout: command.saveOnFailure ? result.stdout : '',
      stderr:
        result.stderr +
        `ERROR: The command ran, but its change could not be saved to ${path.join(stateDir, STATE_FILE)}: ${(error as Error).message}. ` +
        'The lab was left as it was before the command.\n',
    };
  }
  return result;
}

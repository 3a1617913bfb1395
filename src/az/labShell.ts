// The lab terminal's language (az, `sql`, `clock`, NAME=$(…)) with commands of the host's beside
// it (the running scenario's `scenario …`): what the scenario service runs solutions and fixes
// with, and what the VS Code lab terminal and `milab` run a line with.
import type { Lab } from '../engine/lab/lab';
import { runShellLine } from './replay';
import type { AzResult } from './run';
import { changeClock, type ClockAction } from '../engine/operations/clock';
import { clockView } from '../engine/readModels/clock';
import { isLabError } from '../engine/base/errors';

const CLOCK_CHANGES: readonly string[] = ['advance', 'pause', 'resume', 'real'] satisfies readonly ClockAction[];

/** `clock [show|advance DURATION|pause|resume|real]`, as `milab clock` takes it (solutions advance it). */
function clockCommand(lab: Lab, words: readonly string[]): AzResult {
  const [action = 'show', duration, ...extra] = words;
  const usage: AzResult = {
    exitCode: 2,
    stdout: '',
    stderr: 'usage: clock show|advance DURATION|pause|resume|real (DURATION like 10m, 1h, 24h)\n',
  };
  if ((action !== 'show' && !CLOCK_CHANGES.includes(action)) || extra.length > 0 || (action !== 'advance' && duration !== undefined)) {
    return usage;
  }
  try {
    if (action !== 'show') changeClock(lab, action as ClockAction, duration);
  } catch (error) {
    if (!isLabError(error)) throw error;
    return { exitCode: 1, stdout: '', stderr: `ERROR: ${error.message}\n` };
  }
  return { exitCode: 0, stdout: `Lab time: ${clockView(lab.clock).summary}\n`, stderr: '' };
}

type HostCommand = (words: string[]) => Promise<{ exitCode: number; stdout: string; stderr: string }>;

export function labShell(
  lab: Lab,
  line: string,
  variables: Map<string, string>,
  commands: Readonly<Record<string, HostCommand>>,
  options: { columns?: number; color?: boolean } = {},
): Promise<AzResult> {
  return runShellLine(lab, line, variables, {
    ...options,
    commands: Object.fromEntries(
      Object.entries({ clock: async (words: string[]) => clockCommand(lab, words), ...commands }).map(([name, run]) => [
        name,
        async (words: string[]): Promise<AzResult> => {
          const result = await run(words);
          // az's exit codes: 0 ok, 2 a usage error, 1 anything else.
          return { ...result, exitCode: result.exitCode === 0 ? 0 : result.exitCode === 2 ? 2 : 1 };
        },
      ]),
    ),
  });
}

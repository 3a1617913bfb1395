// The lab terminal's language (az, `sql`, NAME=$(…)) with commands of the host's beside it (the
// running scenario's `scenario …`): what the scenario service runs solutions and fixes with, and
// what the VS Code lab terminal and `milab` run a line with.
import type { Lab } from '../engine/lab/lab';
import { runShellLine } from './replay';
import type { AzResult } from './run';

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
      Object.entries(commands).map(([name, run]) => [
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

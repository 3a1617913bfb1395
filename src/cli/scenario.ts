// `milab scenario list|show|start ID|check|hint|solve|env|stop [--state DIR] [--json]`: the lab's
// scenarios from any shell. With a lab running for DIR (milab serve, or VS Code) the command goes
// to it; otherwise, under the directory's lock (inLab.ts), the saved state is loaded, the lab's
// endpoints run here for the command (a check runs the workload over them), and the state is
// written back when it changed.
import * as path from 'node:path';
import type { CliIo } from './cli';
import { ScenarioService } from '../host/scenarios';
import { runScenarioCommand, SCENARIO_USAGE } from '../host/scenarioCommand';
import { startLabServer, type RunningLabServer } from '../server/labServer';
import { labShell, splitState, viaRunningLab } from './labShell';
import { runInLab } from './inLab';

export const MILAB_SCENARIO_USAGE = `${SCENARIO_USAGE.replace('Usage: scenario <verb> [--json]', 'Usage: milab scenario <verb> [--state DIR] [--json]')}
  --state DIR             the lab in DIR (default ./.milab): the running one if there is one, else the saved state
`;

export async function scenario(argv: string[], io: CliIo): Promise<number> {
  const split = splitState(argv);
  if ('error' in split) {
    io.stderr.write(`milab scenario: error: ${split.error}\n${MILAB_SCENARIO_USAGE}`);
    return 2;
  }
  const { rest } = split;
  if (rest.length === 0 || rest.includes('--help') || rest.includes('-h') || rest[0] === 'help') {
    io.stdout.write(MILAB_SCENARIO_USAGE);
    return rest.length === 0 ? 2 : 0;
  }
  const stateDir = path.resolve(split.stateDir);
  const result = await runInLab(
    stateDir,
    {
      name: 'milab scenario',
      online: running => viaRunningLab(running.url, running.controlToken, 'scenario', rest),
      offline: async lab => {
        let server: RunningLabServer | undefined;
        const service = new ScenarioService({ lab, shell: labShell, server: async () => (server ??= await startLabServer(lab)) });
        try {
          return await runScenarioCommand(service, rest);
        } finally {
          await server?.close();
        }
      },
      // A check that is not solved yet exits 1 and still counts (progress, the hints shown).
      saveOnFailure: true,
    },
    io,
  );
  if (result === undefined) return 1;
  io.stdout.write(result.stdout.replace(/^Usage: scenario/m, 'Usage: milab scenario'));
  io.stderr.write(result.stderr);
  return result.exitCode;
}

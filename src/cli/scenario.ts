// `milab scenario list|show|start ID|check|hint|solve|env|stop [--state DIR] [--json]`: the lab's
// scenarios from any shell. With a lab running for DIR (milab serve, or VS Code) the command goes
// to it; otherwise the saved state is loaded, the lab's endpoints run here for the command (a
// check runs the workload over them), and the state is written back when it changed.
import * as path from 'node:path';
import type { CliIo } from './cli';
import { readDiscovery } from '../host/discovery';
import { loadOrCreateLab, LabStateError } from '../host/labHost';
import { writeStateFile } from '../host/stateFile';
import { ScenarioService } from '../host/scenarios';
import { runScenarioCommand, SCENARIO_USAGE } from '../host/scenarioCommand';
import { startLabServer, type RunningLabServer } from '../server/labServer';
import { labShell, splitState, viaRunningLab } from './labShell';

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
  const running = await readDiscovery(stateDir);
  let result;
  if (running) {
    try {
      result = await viaRunningLab(running.url, running.controlToken, 'scenario', rest);
    } catch (error) {
      io.stderr.write(
        `milab scenario: the lab running for ${stateDir} (pid ${running.pid}) did not answer at ${running.url}: ${(error as Error).message}\n`,
      );
      return 1;
    }
  } else {
    let loaded;
    try {
      loaded = await loadOrCreateLab(stateDir);
    } catch (error) {
      if (!(error instanceof LabStateError)) throw error;
      io.stderr.write(`milab scenario: ${error.message}\n`);
      return 1;
    }
    const lab = loaded.lab;
    const before = lab.toJson();
    let server: RunningLabServer | undefined;
    const service = new ScenarioService({ lab, shell: labShell, server: async () => (server ??= await startLabServer(lab)) });
    try {
      result = await runScenarioCommand(service, rest);
    } finally {
      await server?.close();
    }
    if (lab.toJson() !== before) await writeStateFile(stateDir, lab.toState());
  }
  io.stdout.write(result.stdout.replace(/^Usage: scenario/m, 'Usage: milab scenario'));
  io.stderr.write(result.stderr);
  return result.exitCode;
}

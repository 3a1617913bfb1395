// `milab export [--state DIR] [--format az]`: the lab as a bash script of az commands that
// rebuilds it (src/az/export.ts), every word safely quoted. From the lab running for DIR when
// there is one (through its control endpoint), otherwise from the saved state; never changes either.
import * as path from 'node:path';
import type { CliIo } from './cli';
import { parseOptions, UsageError } from './args';
import { readDiscovery } from '../host/discovery';
import { loadSavedLab, LabStateError } from '../host/labHost';
import { exportAzScript } from '../az';
import { CONTROL_EXPORT_PATH, CONTROL_HEADER, type ControlExportResponse } from '../server/controlProtocol';

export const EXPORT_USAGE = `Usage: milab export [--state DIR] [--format az]

Prints the lab for DIR (default ./.milab) as a bash script of az commands that rebuilds it in an
empty subscription: resource groups, resources with their managed identities, custom roles and
role assignments. Secrets and blobs are left out. Every value is quoted so that bash reads it
back exactly and runs nothing planted in it. Reads the running lab if there is one, otherwise
the saved state.

  milab export > rebuild-lab.sh
`;

async function fromRunningLab(url: string, token: string): Promise<string> {
  const response = await fetch(`${url}${CONTROL_EXPORT_PATH}`, {
    method: 'POST',
    headers: { [CONTROL_HEADER]: token },
    signal: AbortSignal.timeout(60_000),
  });
  const body = (await response.json()) as Partial<ControlExportResponse> & { error?: { message?: string } };
  if (!response.ok || typeof body.script !== 'string') throw new Error(body.error?.message ?? `HTTP ${response.status}`);
  return body.script;
}

export async function exportLab(argv: string[], io: CliIo): Promise<number> {
  let stateDir: string;
  try {
    const { options, positional } = parseOptions(argv, [
      { name: 'state', value: true },
      { name: 'format', value: true },
      { name: 'help', short: 'h', value: false },
    ]);
    if (options.has('help')) {
      io.stdout.write(EXPORT_USAGE);
      return 0;
    }
    if (positional.length) throw new UsageError(`unrecognized arguments: ${positional.join(' ')}`);
    const format = String(options.get('format') ?? 'az');
    if (format !== 'az') throw new UsageError(`argument --format: invalid choice: '${format}' (choose from 'az')`);
    stateDir = path.resolve(String(options.get('state') ?? '.milab'));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`milab export: error: ${error.message}\n${EXPORT_USAGE}`);
    return 2;
  }
  const running = await readDiscovery(stateDir);
  if (running) {
    try {
      io.stdout.write(await fromRunningLab(running.url, running.controlToken));
      return 0;
    } catch (error) {
      io.stderr.write(
        `milab export: the lab running for ${stateDir} (pid ${running.pid}) did not answer at ${running.url}: ${(error as Error).message}\n`,
      );
      return 1;
    }
  }
  let lab;
  try {
    lab = await loadSavedLab(stateDir);
  } catch (error) {
    if (!(error instanceof LabStateError)) throw error;
    io.stderr.write(`milab export: ${error.message}\n`);
    return 1;
  }
  if (!lab) {
    io.stderr.write(`milab export: there is no lab in ${stateDir} yet (no lab.json): start one with 'milab serve --state ${stateDir}'.\n`);
    return 1;
  }
  io.stdout.write(exportAzScript(lab));
  return 0;
}

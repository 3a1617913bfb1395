// The lab's `az` for "your machine" (`milab env --as local`): an executable file in the state
// directory's bin/, put first on PATH, that runs `milab az` against the lab for that state
// directory — so AzureCliCredential, which runs `az account get-access-token --output json
// --resource …` from PATH without a shell (@azure/identity 4.14: @azure/core-process execFile;
// Python: subprocess with shutil.which; .NET: /bin/sh -c), gets a token for the signed-in learner.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { singleQuoted } from '../engine/base/shellQuote';

/** Set by the shim for `milab az`, which then tells the lab where it ran and when it started. */
export const AZ_SHIM_VARIABLE = 'MILAB_AZ_SHIM';

/** The CLI bundle, beside this code (dist/cli.js for the CLI and the extension alike). */
const CLI_FILE = path.join(__dirname, 'cli.js');

export function azShimScript(stateDir: string, nodePath = process.execPath, cliFile = CLI_FILE): string {
  return [
    '#!/bin/sh',
    "# The lab's az (milab env --as local): answers as the lab's signed-in learner, through the lab running for this state directory.",
    `export ${AZ_SHIM_VARIABLE}=1`,
    `exec ${singleQuoted(nodePath)} ${singleQuoted(cliFile)} az --state ${singleQuoted(stateDir)} "$@"`,
    '',
  ].join('\n');
}

/** Writes `<stateDir>/bin/az` (mode 0755, atomically) and returns the bin directory. */
export async function writeAzShim(stateDir: string): Promise<string> {
  const bin = path.join(stateDir, 'bin');
  await fs.mkdir(bin, { recursive: true, mode: 0o700 });
  const file = path.join(bin, 'az');
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, azShimScript(stateDir), { mode: 0o755 });
  await fs.rename(temporary, file);
  return bin;
}

// `milab reset [--state DIR]`: a fresh sample lab in DIR. The old state file is kept beside
// it (lab.json.unusable-<time>), which is also how to recover from a state file the lab
// cannot read. Refuses while a lab is running for DIR: stop it first.
import * as path from 'node:path';
import { resetLabState } from '../host/labHost';
import { readDiscovery } from '../host/discovery';
import type { CliIo } from './cli';
import { parseOptions, UsageError } from './args';

export const RESET_USAGE = `Usage: milab reset [--state DIR]

Starts over with a new sample lab in DIR (default ./.milab). The previous state file is kept
beside it (lab.json.unusable-<time>), which is also how to recover from a state file the lab
cannot read. Refuses while a lab is running for DIR: stop it first.
`;

export async function reset(argv: string[], io: CliIo): Promise<number> {
  let stateDir: string;
  try {
    const { options, positional } = parseOptions(argv, [
      { name: 'state', value: true },
      { name: 'help', short: 'h', value: false },
    ]);
    if (options.has('help')) {
      io.stdout.write(RESET_USAGE);
      return 0;
    }
    if (positional.length) throw new UsageError(`unrecognized arguments: ${positional.join(' ')}`);
    stateDir = path.resolve(String(options.get('state') ?? '.milab'));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`milab reset: error: ${error.message}\n${RESET_USAGE}`);
    return 2;
  }
  const running = await readDiscovery(stateDir);
  if (running) {
    io.stderr.write(`milab reset: a lab is running for ${stateDir} (process ${running.pid}, ${running.url}); stop it first.\n`);
    return 1;
  }
  const { kept } = await resetLabState(stateDir);
  io.stdout.write(`A new sample lab is in ${stateDir}.${kept ? `\nThe previous state file was kept as ${kept}.` : ''}\n`);
  return 0;
}

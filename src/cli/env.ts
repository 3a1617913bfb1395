// `milab env --as RESOURCE [--identity CLIENT_ID|RESOURCE_ID] [--format sh|json]`: the
// environment an unmodified Azure SDK app needs to run as that compute resource against the
// running lab. IMDS-style hosts get AZURE_POD_IDENTITY_AUTHORITY_HOST; App Service-style
// hosts get IDENTITY_ENDPOINT + IDENTITY_HEADER. AZURE_TOKEN_CREDENTIALS pins
// DefaultAzureCredential to managed identity, so it never falls through to a real login.
import * as path from 'node:path';
import { loadOrCreateLab, CA_BUNDLE_FILE, CA_FILE } from '../host/labHost';
import { readDiscovery } from '../host/discovery';
import type { CliIo } from './cli';
import { parseOptions, UsageError } from './args';
import { appEnvironment, formatEnvironmentJson, formatEnvironmentShell } from '../host/appEnvironment';

export const ENV_USAGE = `Usage: milab env --as RESOURCE [--identity CLIENT_ID|RESOURCE_ID] [--database SERVER/DB] [--format sh|json] [--state DIR]

Prints the environment that makes an unmodified Azure SDK app run as RESOURCE (a VM, a
web app, …) against the lab running for DIR (default ./.milab). With SQL databases in the
lab it adds Service Connector's AZURE_SQL_* settings for one of them (--database, or the
first). In a shell:

  eval "$(milab env --as vm-web)"
  node app.js
`;

export async function env(argv: string[], io: CliIo): Promise<number> {
  let options: Map<string, string | true>;
  try {
    ({ options } = parseOptions(argv, [
      { name: 'as', value: true },
      { name: 'identity', value: true },
      { name: 'database', value: true },
      { name: 'format', value: true },
      { name: 'state', value: true },
      { name: 'help', short: 'h', value: false },
    ]));
    if (options.has('help')) {
      io.stdout.write(ENV_USAGE);
      return 0;
    }
    if (!options.has('as')) throw new UsageError('the following arguments are required: --as');
    const format = String(options.get('format') ?? 'sh');
    if (format !== 'sh' && format !== 'json') {
      throw new UsageError(`argument --format: invalid choice: '${format}' (choose from 'sh', 'json')`);
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`milab env: error: ${error.message}\n${ENV_USAGE}`);
    return 2;
  }
  const stateDir = path.resolve(String(options.get('state') ?? '.milab'));
  const running = await readDiscovery(stateDir);
  if (!running) {
    io.stderr.write(
      `milab env: no lab is running for ${stateDir}. ` +
        `Start one with 'milab serve --state ${stateDir}' (or open the lab in VS Code with that state directory).\n`,
    );
    return 1;
  }
  const { lab } = await loadOrCreateLab(stateDir);
  const identity = options.get('identity');
  const database = options.get('database');
  const result = await appEnvironment(lab, running.url, {
    as: String(options.get('as')),
    ...(identity !== undefined ? { identity: String(identity) } : {}),
    ...(database !== undefined ? { sqlDatabase: String(database) } : {}),
    ...(running.sqlPort !== undefined ? { sqlPort: running.sqlPort } : {}),
    caFile: path.join(stateDir, CA_FILE),
    caBundleFile: path.join(stateDir, CA_BUNDLE_FILE),
  });
  if (!result.ok) {
    io.stderr.write(`milab env: ${result.message}\n`);
    return 1;
  }
  for (const warning of result.environment.warnings) io.stderr.write(`milab env: warning: ${warning}\n`);
  io.stdout.write(
    options.get('format') === 'json' ? formatEnvironmentJson(result.environment) : formatEnvironmentShell(result.environment, running.url),
  );
  return 0;
}

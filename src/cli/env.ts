// `milab env --as RESOURCE [--identity CLIENT_ID|RESOURCE_ID] [--format sh|json]`: the
// environment an unmodified Azure SDK app needs to run as that compute resource against the
// running lab. IMDS-style hosts get AZURE_POD_IDENTITY_AUTHORITY_HOST; App Service-style
// hosts get IDENTITY_ENDPOINT + IDENTITY_HEADER. AZURE_TOKEN_CREDENTIALS pins
// DefaultAzureCredential to managed identity, so it never falls through to a real login.
import * as path from 'node:path';
import { loadOrCreateLab, CA_FILE } from '../host/labHost';
import { readDiscovery } from '../host/discovery';
import { resourceTypeOf } from '../engine/arm/resourceTypes';
import { identityHeaderFor } from '../engine/managedIdentity/identityHeader';
import { sameId } from '../engine/arm/resourceId';
import type { CliIo } from './cli';
import { parseOptions, UsageError } from './args';
import { resolveComputeResource } from './resolveHost';
import { labServiceUrls } from '../server/serviceUrls';

export const ENV_USAGE = `Usage: milab env --as RESOURCE [--identity CLIENT_ID|RESOURCE_ID] [--format sh|json] [--state DIR]

Prints the environment that makes an unmodified Azure SDK app run as RESOURCE (a VM, a
web app, …) against the lab running for DIR (default ./.milab). In a shell:

  eval "$(milab env --as vm-web)"
  node app.js
`;

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export async function env(argv: string[], io: CliIo): Promise<number> {
  let options: Map<string, string | true>;
  try {
    ({ options } = parseOptions(argv, [
      { name: 'as', value: true },
      { name: 'identity', value: true },
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
      `milab env: no lab is running for ${stateDir}. Start one with 'milab serve --state ${stateDir}' (or open the lab in VS Code with that state directory).\n`,
    );
    return 1;
  }
  const { lab } = await loadOrCreateLab(stateDir);
  const resolved = resolveComputeResource(lab, String(options.get('as')));
  if (!resolved.ok) {
    io.stderr.write(`milab env: ${resolved.message}\n`);
    return 1;
  }
  const host = resolved.host;
  const info = resourceTypeOf(host.type, host.kind);
  const variables: Record<string, string> = {};
  if (info?.tokenEndpoint === 'imds') {
    variables['AZURE_POD_IDENTITY_AUTHORITY_HOST'] = `${running.url}/hosts${host.id}`;
  } else if (info?.tokenEndpoint === 'identityEndpoint') {
    variables['IDENTITY_ENDPOINT'] = `${running.url}/hosts${host.id}/msi/token`;
    variables['IDENTITY_HEADER'] = await identityHeaderFor(lab, host.id);
  } else {
    io.stderr.write(
      `milab env: a ${info?.displayName ?? host.type} uses its managed identity inside the service (connectors, linked services, policies); there is no token endpoint for your own code to call.\n`,
    );
    return 1;
  }
  if (options.has('identity')) {
    const wanted = String(options.get('identity'));
    const attached = host.identity?.userAssigned.find(
      u => u.clientId.toLowerCase() === wanted.toLowerCase() || sameId(u.resourceId, wanted),
    );
    if (!attached) {
      io.stderr.write(
        `milab env: warning: '${wanted}' is not a user-assigned identity of ${host.name}; token requests for it will fail with "Identity not found" (which may be what you want to see).\n`,
      );
    }
    variables['AZURE_CLIENT_ID'] = attached?.clientId ?? wanted;
  }
  variables['AZURE_TOKEN_CREDENTIALS'] = 'ManagedIdentityCredential';
  variables['NODE_EXTRA_CA_CERTS'] = path.join(stateDir, CA_FILE);
  // {vault}.vault.azure.net and {account}.blob.core.windows.net resolve to the lab (see src/preload).
  variables['NODE_OPTIONS'] = `--require ${JSON.stringify(path.join(__dirname, 'preload.js'))}`;

  if (options.get('format') === 'json') {
    io.stdout.write(JSON.stringify(variables, null, 2) + '\n');
    return 0;
  }
  const lines = [
    `# Run as ${host.name} (${info.displayName}) against the lab at ${running.url}`,
    '# Other runtimes than Node: instead of NODE_OPTIONS, map the service names below to 127.0.0.1 in /etc/hosts.',
  ];
  for (const [name, value] of Object.entries(variables)) lines.push(`export ${name}=${shellQuote(value)}`);
  const vaults = lab.arm.resources.filter(r => resourceTypeOf(r.type)?.key === 'keyvault');
  const urls = labServiceUrls(running.url.replace(/^http:/, 'https:'));
  for (const vault of vaults) lines.push(`# Key Vault ${vault.name}: ${urls.vault(vault.name)}`);
  for (const account of lab.arm.resources.filter(r => resourceTypeOf(r.type)?.key === 'storage')) {
    lines.push(`# Storage ${account.name}: ${urls.blob(account.name)}`);
  }
  io.stdout.write(lines.join('\n') + '\n');
  return 0;
}

// `milab serve`: the lab's endpoints on 127.0.0.1 over the state in DIR, until SIGINT, SIGTERM
// or SIGHUP (a closed terminal), each of which saves and stops. Refuses a directory another lab
// runs on. Exits 1 when the final save failed (the file then holds the last state that was saved).
import * as path from 'node:path';
import { CA_FILE, LabBusyError, LabHost, LabStateError } from '../host/labHost';
import { resourceTypeOf } from '../engine/azure/resourceTypes';
import type { CliIo } from './cli';
import { parseOptions, UsageError } from './args';

export async function serve(argv: string[], io: CliIo): Promise<number> {
  let stateDir: string;
  let port: number | undefined;
  let json: boolean;
  try {
    const { options, positional } = parseOptions(argv, [
      { name: 'state', value: true },
      { name: 'port', value: true },
      { name: 'json', value: false },
    ]);
    if (positional.length) throw new UsageError(`unrecognized arguments: ${positional.join(' ')}`);
    stateDir = path.resolve(String(options.get('state') ?? '.milab'));
    json = options.has('json');
    if (options.has('port')) {
      port = Number(options.get('port'));
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new UsageError(`argument --port: invalid port '${String(options.get('port'))}'`);
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`milab serve: error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  let host: LabHost;
  try {
    host = await LabHost.start({
      stateDir,
      owner: 'milab serve',
      ...(port !== undefined ? { port } : {}),
      onSaveError: (error, delivered) =>
        io.stderr.write(`milab serve: could not save the lab${delivered ? ' (the client was told)' : ''}: ${error.message}\n`),
    });
  } catch (error) {
    if (error instanceof LabBusyError || error instanceof LabStateError) {
      io.stderr.write(`milab serve: ${error.message}\n`);
      return 1;
    }
    const code = (error as NodeJS.ErrnoException).code;
    io.stderr.write(`milab serve: the lab could not start${code ? ` (${code})` : ''}: ${(error as Error).message}\n`);
    return 1;
  }
  // Listening for the signals before saying where the lab listens: a client that stops it at once still gets a clean stop.
  const stopped = new Promise<void>(resolve => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => resolve());
  });
  const lab = host.lab;
  const server = host.server;
  const hosts = lab.arm.resources
    .map(r => ({ resource: r, endpoint: resourceTypeOf(r.type, r.kind)?.tokenEndpoint }))
    .filter(h => h.endpoint === 'imds' || h.endpoint === 'identityEndpoint')
    .map(({ resource, endpoint }) => ({
      name: resource.name,
      id: resource.id,
      endpoint: endpoint === 'imds' ? 'imds' : 'identityEndpoint',
      url:
        endpoint === 'imds'
          ? `${server.imdsAuthorityHost(resource.id)}/metadata/identity/oauth2/token`
          : server.identityEndpoint(resource.id),
    }));
  const caFile = path.join(stateDir, CA_FILE);
  const summary = {
    url: server.url,
    httpsUrl: server.httpsUrl,
    port: server.port,
    stateDir,
    caFile,
    tenantId: lab.tenantId,
    authorityHost: server.httpsUrl,
    jwks: `${server.httpsUrl}/${lab.tenantId}/discovery/v2.0/keys`,
    imds: server.context.defaultHostId() ? `${server.url}/metadata/identity/oauth2/token` : null,
    hosts,
    vaults: lab.arm.resources
      .filter(r => resourceTypeOf(r.type)?.key === 'keyvault')
      .map(r => ({ name: r.name, vaultUri: lab.serviceUrls.vault(r.name) })),
  };
  if (json) {
    io.stdout.write(JSON.stringify(summary) + '\n');
  } else {
    const lines = [
      `Managed Identity Lab listening on 127.0.0.1:${server.port} (HTTP and HTTPS)`,
      `  state:     ${stateDir}`,
      `  lab CA:    ${caFile}  (trust it with NODE_EXTRA_CA_CERTS)`,
      `  Entra ID:  ${server.httpsUrl}/${lab.tenantId}  (JWKS: ${summary.jwks})`,
    ];
    if (summary.imds) lines.push(`  IMDS:      ${summary.imds}  (as ${lab.arm.resource(server.context.defaultHostId()!)?.name})`);
    for (const h of hosts) lines.push(`  ${h.endpoint === 'imds' ? 'IMDS as' : 'IDENTITY_ENDPOINT of'} ${h.name}: ${h.url}`);
    for (const v of summary.vaults) lines.push(`  Key Vault ${v.name}: ${v.vaultUri}`);
    lines.push('', `Run your app as a resource:  eval "$(milab env --state ${stateDir} --as <name>)"`, 'Press Ctrl+C to stop.');
    io.stdout.write(lines.join('\n') + '\n');
  }

  await stopped;
  try {
    await host.close();
  } catch (error) {
    io.stderr.write(`milab serve: stopped, but the last changes could not be saved to ${host.stateFile}: ${(error as Error).message}\n`);
    return 1;
  }
  return 0;
}

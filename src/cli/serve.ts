// `milab serve`: the lab's endpoints on 127.0.0.1 over the state in DIR, until SIGINT, SIGTERM
// or SIGHUP (a closed terminal), each of which saves and stops: HTTP and HTTPS on one port,
// Azure SQL's TDS on a port of its own (--sql-port; free by default). Refuses a directory another
// lab runs on. Exits 1 when the final save failed (the file then holds the last state that was saved).
import * as path from 'node:path';
import { CA_FILE, LabBusyError, LabHost, LabStateError } from '../host/labHost';
import { resourceTypeOf } from '../engine/azure/resourceTypes';
import type { CliIo } from './cli';
import { parseOptions, UsageError } from './args';
import { sqlConnectionString, sqlDatabases } from '../host/sqlConnection';
import { labShell } from './labShell';

function portOption(options: Map<string, string | true>, name: string): number | undefined {
  if (!options.has(name)) return undefined;
  const port = Number(options.get(name));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`argument --${name}: invalid port '${String(options.get(name))}'`);
  }
  return port;
}

export const SERVE_USAGE = `Usage: milab serve [--state DIR] [--port N] [--sql-port N] [--json]

Runs the lab's endpoints on 127.0.0.1 (one port, HTTP and HTTPS; one for Azure SQL's TDS) over
the state in DIR (default ./.milab) until interrupted (Ctrl+C, SIGTERM, SIGHUP), and saves the state.
--port 0 and --sql-port 0 (the defaults) pick free ports. Prints where each endpoint listens;
--json prints one JSON object.
Other commands (milab env, run, az) find the running lab through DIR/server.json.
`;

export async function serve(argv: string[], io: CliIo): Promise<number> {
  let stateDir: string;
  let port: number | undefined;
  let sqlPort: number | undefined;
  let json: boolean;
  try {
    const { options, positional } = parseOptions(argv, [
      { name: 'state', value: true },
      { name: 'port', value: true },
      { name: 'sql-port', value: true },
      { name: 'json', value: false },
      { name: 'help', short: 'h', value: false },
    ]);
    if (options.has('help')) {
      io.stdout.write(SERVE_USAGE);
      return 0;
    }
    if (positional.length) throw new UsageError(`unrecognized arguments: ${positional.join(' ')}`);
    stateDir = path.resolve(String(options.get('state') ?? '.milab'));
    json = options.has('json');
    port = portOption(options, 'port');
    sqlPort = portOption(options, 'sql-port');
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`milab serve: error: ${error.message}\n${SERVE_USAGE}`);
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
      ...(sqlPort !== undefined ? { sqlPort } : {}),
      onSaveError: (error, delivered) =>
        io.stderr.write(`milab serve: could not save the lab${delivered ? ' (the client was told)' : ''}: ${error.message}\n`),
      shell: labShell,
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
    hosts,
    vaults: lab.arm.resources
      .filter(r => resourceTypeOf(r.type)?.key === 'keyvault')
      .map(r => ({ name: r.name, vaultUri: lab.serviceUrls.vault(r.name) })),
    sqlPort: server.sqlPort,
    sqlDatabases: sqlDatabases(lab, server.sqlPort).map(d => ({ ...d, connectionString: sqlConnectionString(d) })),
  };
  if (json) {
    io.stdout.write(JSON.stringify(summary) + '\n');
  } else {
    const lines = [
      `Managed Identity Lab listening on 127.0.0.1:${server.port} (HTTP and HTTPS) and 127.0.0.1:${server.sqlPort} (Azure SQL, TDS)`,
      `  state:     ${stateDir}`,
      `  lab CA:    ${caFile}  (trust it with NODE_EXTRA_CA_CERTS)`,
      `  Entra ID:  ${server.httpsUrl}/${lab.tenantId}  (JWKS: ${summary.jwks})`,
    ];
    for (const h of hosts) lines.push(`  ${h.endpoint === 'imds' ? 'IMDS as' : 'IDENTITY_ENDPOINT of'} ${h.name}: ${h.url}`);
    for (const v of summary.vaults) lines.push(`  Key Vault ${v.name}: ${v.vaultUri}`);
    lines.push(`  Azure SQL (TDS): 127.0.0.1:${server.sqlPort}  (connect to {server}.database.windows.net,${server.sqlPort})`);
    for (const d of summary.sqlDatabases) lines.push(`  SQL database ${d.server}/${d.database}: ${d.connectionString}`);
    lines.push(
      '',
      `Run any program as a resource:  milab run --state ${stateDir} --as <name> -- <command>`,
      `  (or, without network namespaces:  eval "$(milab env --state ${stateDir} --as <name>)")`,
      'Press Ctrl+C to stop.',
    );
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

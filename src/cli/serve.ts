// `milab serve`: the lab's endpoints on 127.0.0.1 over the state in DIR, until SIGINT/SIGTERM.
import * as path from 'node:path';
import { LabHost } from '../host/labHost';
import type { CliIo } from './cli';
import { parseOptions, UsageError } from './args';

export async function serve(argv: string[], io: CliIo): Promise<number> {
  let stateDir: string;
  let port: number | undefined;
  let json = false;
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
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`argument --port: invalid port '${String(options.get('port'))}'`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`milab serve: error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  const host = await LabHost.start({ stateDir, ...(port !== undefined ? { port } : {}) });
  const lab = host.lab;
  const imdsHosts = lab.arm.resources.filter(r => r.identity).map(r => ({ name: r.name, id: r.id, imds: host.server.imdsAuthorityHost(r.id) }));
  if (json) {
    io.stdout.write(JSON.stringify({ url: host.server.url, port: host.server.port, stateDir, tenantId: lab.tenantId, jwks: `${host.server.url}/${lab.tenantId}/discovery/v2.0/keys`, hosts: imdsHosts }) + '\n');
  } else {
    io.stdout.write(`Managed Identity Lab listening on ${host.server.url}\n  state: ${stateDir}\n  JWKS:  ${host.server.url}/${lab.tenantId}/discovery/v2.0/keys\n`);
    for (const h of imdsHosts) io.stdout.write(`  IMDS as ${h.name}: ${h.imds}/metadata/identity/oauth2/token\n`);
    io.stdout.write('Press Ctrl+C to stop.\n');
  }

  await new Promise<void>(resolve => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await host.close();
  return 0;
}

// The half of `milab run` that runs inside the new network and mount namespace (`milab
// __namespace RUN_DIR`, started by run.ts through unshare; not for people). It brings up the
// namespace's loopback (and 169.254.169.254 on it), bind-mounts the run's hosts file, resolver
// settings and CA bundle over the system's (in this mount namespace only), listens where the
// program will connect and carries every connection over the lab's unix socket, then runs the
// program and exits with its status.
import * as path from 'node:path';
import * as os from 'node:os';
import { readFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import type { CliIo } from './cli';
import { PLAN_FILE, type NamespacePlan } from './run';
import { runPreamble, type RunTarget } from '../server/runProtocol';

function must(io: CliIo, command: string, args: string[]): boolean {
  const done = spawnSync(command, args, { encoding: 'utf8' });
  if (done.status === 0) return true;
  io.stderr.write(`milab run: '${[command, ...args].join(' ')}' failed: ${(done.stderr || done.error?.message || '').trim()}\n`);
  return false;
}

function forward(plan: NamespacePlan, target: RunTarget, client: Socket): void {
  const upstream = connect(plan.socket);
  upstream.write(runPreamble(plan.token, target));
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
  client.on('close', close);
  upstream.on('close', close);
  client.pipe(upstream).pipe(client);
}

function listen(plan: NamespacePlan, listener: NamespacePlan['listeners'][number]): Promise<Server> {
  const server = createServer({ noDelay: true }, client => forward(plan, listener.target, client));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listener.port, listener.address, () => resolve(server));
  });
}

export async function insideNamespace(argv: string[], io: CliIo): Promise<number> {
  const runDir = argv[0];
  if (!runDir) {
    io.stderr.write('milab __namespace is started by milab run; see milab run --help.\n');
    return 2;
  }
  const plan = JSON.parse(readFileSync(path.join(runDir, PLAN_FILE), 'utf8')) as NamespacePlan;
  if (!must(io, 'ip', ['link', 'set', 'lo', 'up'])) return 1;
  if (plan.imds && !must(io, 'ip', ['addr', 'add', '169.254.169.254/32', 'dev', 'lo'])) return 1;
  for (const mount of plan.mounts) if (!must(io, 'mount', ['--bind', mount.source, mount.target])) return 1;
  let servers: Server[];
  try {
    servers = await Promise.all(plan.listeners.map(l => listen(plan, l)));
  } catch (error) {
    io.stderr.write(`milab run: could not listen inside the namespace: ${(error as Error).message}\n`);
    return 1;
  }
  return new Promise<number>(resolve => {
    const child = spawn(plan.command, plan.args, { stdio: 'inherit', env: plan.env });
    const forwardSignal = (signal: NodeJS.Signals) => () => child.kill(signal);
    const handlers: Array<[NodeJS.Signals, () => void]> = [
      // Ctrl+C reaches the program itself (same process group); this half waits for it.
      ['SIGINT', () => undefined],
      ['SIGTERM', forwardSignal('SIGTERM')],
      ['SIGHUP', forwardSignal('SIGHUP')],
    ];
    for (const [signal, handler] of handlers) process.on(signal, handler);
    const finish = (status: number) => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
      for (const server of servers) server.close();
      resolve(status);
    };
    child.on('error', error => {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      io.stderr.write(`milab run: ${plan.command}: ${missing ? 'command not found' : error.message}\n`);
      finish(missing ? 127 : 126);
    });
    child.on('exit', (code, signal) => finish(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0)));
  });
}

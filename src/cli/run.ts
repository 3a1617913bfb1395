// `milab run --as RESOURCE [--identity ID] [--state DIR] -- COMMAND [ARGS…]` (Linux): runs any
// program as a lab compute resource, unmodified, in a private network and mount namespace of
// its own (unshare; as root, or as a user through a user namespace). Inside, for that program
// only: 169.254.169.254:80 is the lab's IMDS for RESOURCE (App Service-style hosts get their
// identity endpoint at 127.0.0.1:41741 instead), Azure's names resolve to the lab on 443 (a hosts
// file bind-mounted over /etc/hosts), the lab's CA is in the system bundle, and nothing else is
// reachable: the namespace has only its own loopback, so no packet can leave it.
//
// The lab keeps running outside (VS Code or `milab serve`); a forwarder inside the namespace
// carries each connection over the lab's unix socket (server.json `runSocket`; see
// server/runProtocol.ts), which a separate network namespace can reach because it is a file.
// This process registers the run, prepares the namespace's files, waits, and cleans up.
import * as path from 'node:path';
import * as os from 'node:os';
import { promises as fs } from 'node:fs';
import { spawn } from 'node:child_process';
import { namespaceProblem, unshareFlags } from '../host/namespaces';
import type { CliIo } from './cli';
import { UsageError, parseOptions } from './args';
import { readDiscovery, type Discovery } from '../host/discovery';
import { CA_BUNDLE_FILE, CA_FILE, SYSTEM_CA_BUNDLES, loadOrCreateLab } from '../host/labHost';
import { APP_SERVICE_ENDPOINT_PORT, PRELOAD_FILE, appEnvironment, type AppEnvironment } from '../host/appEnvironment';
import { CONTROL_HEADER } from '../server/controlProtocol';
import { RUNS_PATH, type RunRegistration, type RunTarget } from '../server/runProtocol';
import { shellQuote } from '../engine/base/shellQuote';

export const RUN_USAGE = `Usage: milab run --as RESOURCE [--identity CLIENT_ID|RESOURCE_ID] [--state DIR] -- COMMAND [ARGS...]

Runs COMMAND as RESOURCE (a VM, a web app, ...) against the lab running for DIR (default
./.milab), unmodified, in a private network namespace (Linux). For that program only:
  - 169.254.169.254 is the lab's IMDS for RESOURCE; App Service-style hosts get
    IDENTITY_ENDPOINT/IDENTITY_HEADER and MSI_ENDPOINT/MSI_SECRET instead;
  - management.azure.com, login.microsoftonline.com and the lab's {vault}.vault.azure.net,
    {account}.blob.core.windows.net and {server}.database.windows.net are the lab, on port 443;
  - the lab's CA is trusted (system bundle, SSL_CERT_FILE, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE,
    NODE_EXTRA_CA_CERTS);
  - nothing else is reachable.
The exit status is COMMAND's. Examples:

  milab run --as vm-web -- curl -s 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net' -H Metadata:true
  milab run --as vm-web -- az login --identity
  milab run --as web-orders -- python3 app.py
`;

/** What the forwarder inside the namespace is told (written to the run's private directory). */
export interface NamespacePlan {
  socket: string;
  token: string;
  /** Whether to bring up 169.254.169.254 on the namespace's loopback. */
  imds: boolean;
  listeners: Array<{ address: string; port: number; target: RunTarget }>;
  mounts: Array<{ source: string; target: string }>;
  command: string;
  args: string[];
  env: Record<string, string>;
}

export const PLAN_FILE = 'run.json';

function splitCommand(argv: readonly string[]): { options: string[]; command: string[] } {
  const dash = argv.indexOf('--');
  if (dash !== -1) return { options: argv.slice(0, dash), command: argv.slice(dash + 1) };
  // Without `--`, the command starts at the first word that is not an option or an option's value.
  const valued = new Set(['--as', '--identity', '--state']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (valued.has(arg)) i++;
    else if (!arg.startsWith('-')) return { options: argv.slice(0, i), command: argv.slice(i) };
  }
  return { options: [...argv], command: [] };
}

function envWay(stateDir: string, as: string, command: readonly string[]): string {
  return `  eval "$(milab env --state ${shellQuote(stateDir)} --as ${shellQuote(as)})"\n  ${command.map(shellQuote).join(' ') || 'COMMAND'}\n`;
}

async function control(discovery: Discovery, method: 'POST' | 'DELETE', route: string, body?: unknown): Promise<Response> {
  return fetch(`${discovery.url}${route}`, {
    method,
    headers: { 'content-type': 'application/json', [CONTROL_HEADER]: discovery.controlToken },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
}

/** /etc/nsswitch.conf with host lookups from files only: no resolver daemon outside the namespace is asked. */
async function nsswitch(): Promise<string | undefined> {
  try {
    const text = await fs.readFile('/etc/nsswitch.conf', 'utf8');
    return /^hosts:/m.test(text) ? text.replace(/^hosts:.*$/m, 'hosts:          files') : `${text}\nhosts:          files\n`;
  } catch {
    return undefined;
  }
}

/** The environment the program starts with: this one, without a previous lab environment's endpoints, plus the run's. */
function programEnv(environment: AppEnvironment, runDir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  for (const name of environment.unset) delete env[name];
  // A `milab env` preload points Node at 127.0.0.1:PORT, which the namespace cannot reach.
  if (env['NODE_OPTIONS']?.includes(PRELOAD_FILE)) {
    const rest = env['NODE_OPTIONS'].replace(`--require ${JSON.stringify(PRELOAD_FILE)}`, '').trim();
    if (rest) env['NODE_OPTIONS'] = rest;
    else delete env['NODE_OPTIONS'];
  }
  // VS Code runs milab with its own Node this way (Electron); the program must not inherit it.
  delete env['ELECTRON_RUN_AS_NODE'];
  // A fresh Azure CLI profile, as on a new VM: the machine's own az login never reaches the lab.
  env['AZURE_CONFIG_DIR'] ??= path.join(runDir, 'azure');
  return { ...env, ...environment.variables };
}

async function prepare(
  discovery: Discovery & { runSocket: string },
  registration: RunRegistration,
  environment: AppEnvironment,
  stateDir: string,
  command: string[],
): Promise<string> {
  const runDir = await fs.mkdtemp(path.join(os.tmpdir(), 'milab-run-'));
  await fs.mkdir(path.join(runDir, 'azure'), { mode: 0o700 });
  const hosts = [
    '# milab run: this namespace only. Azure names are the lab; nothing else resolves.',
    '127.0.0.1 localhost',
    `127.0.0.1 ${os.hostname()}`,
    '::1 localhost ip6-localhost ip6-loopback',
    ...environment.hostsLines,
  ];
  await fs.writeFile(path.join(runDir, 'hosts'), hosts.join('\n') + '\n', { mode: 0o644 });
  await fs.writeFile(path.join(runDir, 'resolv.conf'), '# milab run: no DNS server is reachable; names come from /etc/hosts.\n', {
    mode: 0o644,
  });
  const mounts: NamespacePlan['mounts'] = [
    { source: path.join(runDir, 'hosts'), target: '/etc/hosts' },
    { source: path.join(runDir, 'resolv.conf'), target: '/etc/resolv.conf' },
  ];
  const switchConf = await nsswitch();
  if (switchConf !== undefined) {
    await fs.writeFile(path.join(runDir, 'nsswitch.conf'), switchConf, { mode: 0o644 });
    mounts.push({ source: path.join(runDir, 'nsswitch.conf'), target: '/etc/nsswitch.conf' });
  }
  for (const bundle of SYSTEM_CA_BUNDLES) {
    const exists = await fs.stat(bundle).then(
      s => s.isFile(),
      () => false,
    );
    if (exists) mounts.push({ source: path.join(stateDir, CA_BUNDLE_FILE), target: bundle });
  }
  const listeners: NamespacePlan['listeners'] = [{ address: '127.0.0.1', port: 443, target: 'lab' }];
  const imds = environment.host.endpoint === 'imds';
  if (imds) listeners.push({ address: '169.254.169.254', port: 80, target: 'lab' });
  else listeners.push({ address: '127.0.0.1', port: APP_SERVICE_ENDPOINT_PORT, target: 'lab' });
  // The hook for SQL over TDS: a lab that serves it names its port in server.json.
  if (discovery.sqlPort) listeners.push({ address: '127.0.0.1', port: 1433, target: 'tds' });
  const plan: NamespacePlan = {
    socket: discovery.runSocket,
    token: registration.token,
    imds,
    listeners,
    mounts,
    command: command[0]!,
    args: command.slice(1),
    env: programEnv(environment, runDir),
  };
  await fs.writeFile(path.join(runDir, PLAN_FILE), JSON.stringify(plan), { mode: 0o600 });
  return runDir;
}

/** Runs the namespace's half (namespace.ts) and waits: its exit status is the program's. */
function runInNamespace(runDir: string): Promise<number> {
  return new Promise(resolve => {
    const child = spawn('unshare', [...unshareFlags(), '--', process.execPath, __filename, '__namespace', runDir], {
      stdio: 'inherit',
    });
    // Ctrl+C reaches the whole process group (the program too): wait for it to end rather than die first.
    const ignore = () => undefined;
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const handlers: Array<[NodeJS.Signals, () => void]> = [
      ['SIGINT', ignore],
      ['SIGTERM', forward('SIGTERM')],
      ['SIGHUP', forward('SIGHUP')],
    ];
    for (const [signal, handler] of handlers) process.on(signal, handler);
    child.on('error', () => resolve(127));
    child.on('exit', (code, signal) => {
      for (const [name, handler] of handlers) process.off(name, handler);
      resolve(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0));
    });
  });
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { options: optionArgs, command } = splitCommand(argv);
  let options: Map<string, string | true>;
  try {
    ({ options } = parseOptions(optionArgs, [
      { name: 'as', value: true },
      { name: 'identity', value: true },
      { name: 'state', value: true },
      { name: 'help', short: 'h', value: false },
    ]));
    if (options.has('help')) {
      io.stdout.write(RUN_USAGE);
      return 0;
    }
    if (!options.has('as')) throw new UsageError('the following arguments are required: --as');
    if (!command.length) throw new UsageError('a command to run is required after --');
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`milab run: error: ${error.message}\n${RUN_USAGE}`);
    return 2;
  }
  const stateDir = path.resolve(String(options.get('state') ?? '.milab'));
  const as = String(options.get('as'));
  const problem = namespaceProblem();
  if (problem) {
    io.stderr.write(
      `milab run: this machine cannot give a program a network of its own (${problem}); ` +
        `run it against the lab's loopback endpoints with milab env instead:\n${envWay(stateDir, as, command)}`,
    );
    return 1;
  }
  const discovery = await readDiscovery(stateDir);
  if (!discovery) {
    io.stderr.write(
      `milab run: no lab is running for ${stateDir}. ` +
        `Start one with 'milab serve --state ${stateDir}' (or open the lab in VS Code with that state directory).\n`,
    );
    return 1;
  }
  if (!discovery.runSocket) {
    io.stderr.write(
      `milab run: the lab running for ${stateDir} (pid ${discovery.pid}) serves no runs; restart it with this version of milab.\n`,
    );
    return 1;
  }
  const registered = await control(discovery, 'POST', RUNS_PATH, { as }).catch((error: Error) => error);
  if (registered instanceof Error) {
    io.stderr.write(`milab run: the lab at ${discovery.url} did not answer: ${registered.message}\n`);
    return 1;
  }
  const answer = (await registered.json().catch(() => ({}))) as Partial<RunRegistration> & { error?: { message?: string } };
  if (registered.status !== 201 || !answer.token || !answer.hostId) {
    io.stderr.write(`milab run: ${answer.error?.message ?? `the lab answered ${registered.status}`}\n`);
    return 1;
  }
  const registration = answer as RunRegistration;
  let runDir: string | undefined;
  try {
    const { lab } = await loadOrCreateLab(stateDir);
    const identity = options.get('identity');
    const result = await appEnvironment(lab, discovery.url, {
      as: registration.hostId,
      ...(identity !== undefined ? { identity: String(identity) } : {}),
      caFile: path.join(stateDir, CA_FILE),
      caBundleFile: path.join(stateDir, CA_BUNDLE_FILE),
      mode: 'namespace',
    });
    if (!result.ok) {
      io.stderr.write(`milab run: ${result.message}\n`);
      return 1;
    }
    for (const warning of result.environment.warnings) io.stderr.write(`milab run: warning: ${warning}\n`);
    runDir = await prepare({ ...discovery, runSocket: discovery.runSocket }, registration, result.environment, stateDir, command);
    return await runInNamespace(runDir);
  } finally {
    await control(discovery, 'DELETE', `${RUNS_PATH}/${registration.id}`).catch(() => undefined);
    if (runDir) await fs.rm(runDir, { recursive: true, force: true });
  }
}

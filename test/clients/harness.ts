// The lab in this process (a LabHost over a temporary state directory) and real clients in
// child processes under `milab run`: Debian's Python Azure SDK (python3-azure) and Azure CLI
// (azure-cli), curl. Each runs in a network namespace `milab run` creates for it, so nothing
// they do can reach any real address. `.ci/run` installs what these tests need.
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LabHost } from '../../src/host/labHost';
import { runAz } from '../../src/az';

export const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
/** Debian's interpreter, where python3-azure installs (a pyenv or venv `python3` on PATH would not have it). */
export const PYTHON = '/usr/bin/python3';
const APPS = path.join(ROOT, 'test', 'clients', 'apps');

/** Fails (never skips) with what to install when a client these tests judge the lab with is missing. */
export function requireClients(): void {
  const missing: string[] = [];
  if (spawnSync(PYTHON, ['-c', 'import azure.identity, azure.keyvault.secrets, azure.storage.blob, azure.mgmt.resource']).status !== 0) {
    missing.push('python3-azure');
  }
  if (spawnSync('az', ['version'], { env: cleanEnv() }).error) missing.push('azure-cli');
  for (const [command, pkg] of [
    ['curl', 'curl'],
    ['jq', 'jq'],
    ['unshare', 'util-linux'],
    ['ip', 'iproute2'],
  ] as const) {
    if (spawnSync(command, ['--version']).error) missing.push(pkg);
  }
  if (missing.length) {
    throw new Error(`The client tests need Debian packages: apt-get install ${missing.join(' ')} (.ci/run installs them).`);
  }
}

export async function startLab(): Promise<{ host: LabHost; stateDir: string }> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-clients-'));
  const host = await LabHost.start({ stateDir, saveDelayMs: 1 });
  return { host, stateDir };
}

/** The lab's own az (the learner), in this process: sets things up the way a learner would. */
export async function labAz(host: LabHost, ...argv: string[]): Promise<string> {
  await host.save();
  const result = await runAz(host.lab, argv);
  if (result.exitCode !== 0) throw new Error(`az ${argv.join(' ')}: ${result.stderr}`);
  await host.save();
  return result.stdout.trim();
}

/** This environment without anything Azure, a lab environment or telemetry would read. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (
      value !== undefined &&
      !/^(AZURE_|IDENTITY_|IMDS_|MSI_|NODE_EXTRA_CA_CERTS|NODE_OPTIONS|REQUESTS_CA_BUNDLE|SSL_CERT_FILE|CURL_CA_BUNDLE)/.test(name)
    ) {
      env[name] = value;
    }
  }
  return { ...env, AZURE_CORE_COLLECT_TELEMETRY: 'false', AZURE_CORE_NO_COLOR: 'true', ...extra };
}

export interface Ran {
  status: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `milab run --state DIR --as AS [--identity ID] -- COMMAND…`: the real CLI, in a child process. */
export async function milabRun(
  stateDir: string,
  as: string,
  command: readonly string[],
  options: { identity?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Ran> {
  const args = [
    CLI,
    'run',
    '--state',
    stateDir,
    '--as',
    as,
    ...(options.identity ? ['--identity', options.identity] : []),
    '--',
    ...command,
  ];
  const started = Date.now();
  return new Promise(resolve => {
    execFile(
      process.execPath,
      args,
      { env: cleanEnv(options.env), encoding: 'utf8', timeout: options.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ status, stdout, stderr, ms: Date.now() - started });
      },
    );
  });
}

export interface AppResult {
  ok: boolean;
  status?: number;
  code?: string;
  message?: string;
  type?: string;
  [field: string]: unknown;
}

/** A Python app under test/clients/apps, run as `as`: its one JSON line. */
export async function python(stateDir: string, as: string, app: string, args: unknown = {}, identity?: string): Promise<AppResult> {
  const ran = await milabRun(stateDir, as, [PYTHON, path.join(APPS, app), JSON.stringify(args)], identity ? { identity } : {});
  const line = ran.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as AppResult;
  } catch {
    throw new Error(`${app} as ${as} printed no result (exit ${ran.status}):\n${ran.stdout}\n${ran.stderr}`);
  }
}

/** The real Azure CLI under `milab run`, one shell line per call (a fresh az profile per run, as on a new VM). */
export const az = (stateDir: string, as: string, script: string, options: { identity?: string } = {}): Promise<Ran> =>
  milabRun(stateDir, as, ['bash', '-c', script], options);

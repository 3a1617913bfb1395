// Runs the lab in this process (a LabHost over a temporary state directory, so `milab env`
// finds it) and runs SDK apps in child processes with the environment `milab env` prints.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { LabHost } from '../../src/host/labHost';
import { labShell } from '../../src/cli/labShell';

const run = promisify(execFile);
export const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

/** With `scenarios`, the host serves `milab scenario` (as VS Code's and `milab serve`'s do). */
export async function startLab(options: { scenarios?: boolean } = {}): Promise<{ host: LabHost; stateDir: string }> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-sdk-'));
  const host = await LabHost.start({ stateDir, ...(options.scenarios ? { shell: labShell } : {}) });
  return { host, stateDir };
}

/** The variables `milab env --as <resource> --format json` prints (the real CLI, in a child process). */
export async function labEnv(stateDir: string, resource: string, identity?: string): Promise<Record<string, string>> {
  await new Promise(r => setTimeout(r, 20)); // let the host's debounced save land
  const args = [CLI, 'env', '--state', stateDir, '--as', resource, '--format', 'json', ...(identity ? ['--identity', identity] : [])];
  const { stdout } = await run(process.execPath, args, { encoding: 'utf8' });
  return JSON.parse(stdout) as Record<string, string>;
}

/** The real `milab` CLI in a child process (it reaches the lab running for `stateDir`): exit code and output. */
export async function milab(stateDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  await new Promise(r => setTimeout(r, 20));
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args, '--state', stateDir], { encoding: 'utf8', timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

export interface AppResult {
  ok: boolean;
  name?: string;
  message?: string;
  claims?: Record<string, unknown>;
  expiresOnTimestamp?: number;
}

/** Runs an app under test/sdk/apps with exactly the lab's environment (no inherited AZURE_* variables). */
export async function runApp(app: string, env: Record<string, string>, args: unknown = {}, timeoutMs = 60_000): Promise<AppResult> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(AZURE_|IDENTITY_|IMDS_|MSI_|NODE_EXTRA_CA_CERTS|NODE_OPTIONS)/.test(k)),
  );
  const { stdout } = await run(process.execPath, [path.join(ROOT, 'test', 'sdk', 'apps', app), JSON.stringify(args)], {
    env: { ...clean, ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
    cwd: ROOT,
  });
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as AppResult;
}

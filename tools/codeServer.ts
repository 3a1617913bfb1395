// code-server: a real VS Code (1.100.3, Node extension host) that installs from npm and
// runs in a browser. Used by the integration tests (where no desktop VS Code can be had),
// the end-to-end tests and `npm run lab`. See ../shared/reference/vscode-testing.md.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
/** The repository root, found from wherever this module was bundled to. */
export const ROOT = findRoot(__dirname);

function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'managed-identity-lab') return dir;
    if (path.dirname(dir) === dir) throw new Error(`not inside the managed-identity-lab repository: ${start}`);
  }
}
const PREFIX = path.join(ROOT, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
const PACKAGE_DIR = path.join(PREFIX, 'node_modules', 'code-server');
const ENTRY = path.join(PACKAGE_DIR, 'out', 'node', 'entry.js');

function run(command: string, args: string[], env: NodeJS.ProcessEnv, log: (line: string) => void): void {
  log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    cwd: PREFIX,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${(result.stdout + result.stderr).slice(-4000)}`);
  }
}

/**
 * Installs code-server into .vscode-test/ (once) and returns the path of its entry script.
 * Its install has traps that only environment and system packages solve offline:
 * root needs unsafe-perm, node-pty's postinstall runs `npx node-gyp` (needs `yes`),
 * kerberos needs libkrb5-dev, and @vscode/ripgrep downloads `rg` from GitHub unless a
 * cached archive sits in the temp folder — we build that archive from Debian's ripgrep.
 */
export function ensureCodeServer(log: (line: string) => void = console.log): string {
  if (fs.existsSync(ENTRY) && fs.existsSync(path.join(PACKAGE_DIR, 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'))) {
    return ENTRY;
  }
  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (!rg) throw new Error("code-server's install needs ripgrep ('rg') on the PATH: apt-get install ripgrep (see .ci/run).");

  log(`Installing code-server ${CODE_SERVER_VERSION} into ${path.relative(ROOT, PREFIX)} (about a minute, once)…`);
  fs.mkdirSync(PREFIX, { recursive: true });
  fs.writeFileSync(path.join(PREFIX, 'package.json'), JSON.stringify({ name: 'milab-code-server', private: true }));
  const env = {
    ...process.env,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  run('npm', ['install', '--no-save', '--ignore-scripts', `code-server@${CODE_SERVER_VERSION}`], env, log);

  const shrinkwrap = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'lib', 'vscode', 'npm-shrinkwrap.json'), 'utf8'));
  const ripgrepVersion: string = shrinkwrap.packages['node_modules/@vscode/ripgrep'].version;
  const cache = path.join(os.tmpdir(), `vscode-ripgrep-cache-${ripgrepVersion}`);
  fs.mkdirSync(cache, { recursive: true });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-rg-'));
  fs.copyFileSync(rg, path.join(staging, 'rg'));
  fs.chmodSync(path.join(staging, 'rg'), 0o755);
  const archive = path.join(cache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  const tar = spawnSync('tar', ['czf', archive, '-C', staging, 'rg']);
  fs.rmSync(staging, { recursive: true, force: true });
  if (tar.status !== 0) throw new Error(`could not build the ripgrep archive: ${tar.stderr}`);

  run('npm', ['rebuild', '--foreground-scripts'], env, log);
  if (!fs.existsSync(ENTRY)) throw new Error('code-server installed, but its entry script is missing');
  return ENTRY;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface CodeServerOptions {
  workspace: string;
  port?: number;
  userDataDir?: string;
  extensionsDir?: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Receives code-server's own output (the remote extension host logs there). */
  onOutput?: (text: string) => void;
}

export interface RunningCodeServer {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const entry = ensureCodeServer(options.log);
  const port = options.port ?? (await freePort());
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-cs-'));
  const userDataDir = options.userDataDir ?? path.join(scratch, 'user-data');
  const extensionsDir = options.extensionsDir ?? path.join(scratch, 'extensions');
  seedUserSettings(userDataDir);
  const child = spawn(
    process.execPath,
    [
      entry,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      options.workspace,
    ],
    { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    options.onOutput?.(chunk.toString());
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}):\n${output.slice(-2000)}`);
      try {
        return (await fetch(`${url}/healthz`)).ok;
      } catch {
        return false;
      }
    },
    60_000,
    'code-server to listen',
  );
  return {
    url,
    port,
    process: child,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([new Promise(r => child.once('exit', r)), new Promise(r => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Quiet first-run UI (welcome page, tips, telemetry notice) so tests and the lab start clean. */
function seedUserSettings(userDataDir: string): void {
  const settings = path.join(userDataDir, 'User', 'settings.json');
  if (fs.existsSync(settings)) return;
  fs.mkdirSync(path.dirname(settings), { recursive: true });
  fs.writeFileSync(
    settings,
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'telemetry.telemetryLevel': 'off',
        'security.workspace.trust.enabled': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'workbench.colorTheme': 'Default Dark Modern',
      },
      null,
      2,
    ),
  );
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** The workbench URL that loads an extension under development (and, optionally, its tests). */
export function workbenchUrl(server: RunningCodeServer, workspace: string, extensionPath: string, testsPath?: string): string {
  const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload: Array<[string, string]> = [['extensionDevelopmentPath', remote(extensionPath)]];
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  return `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

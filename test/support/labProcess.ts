// Test helpers that run the real `milab` (dist/cli.js) as child processes: `milab serve` until
// its endpoints are up, and any other command to completion.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** dist/cli.js, found upwards from the (bundled) test file. */
export const CLI = ((): string => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'dist', 'cli.js');
    if (existsSync(candidate) || path.dirname(dir) === dir) return candidate;
  }
})();

export interface ServeProcess {
  child: ChildProcess;
  port: number;
  url: string;
  stderr: () => string;
  /** Resolves with the exit code (or the signal's name) once the process ends. */
  exited: Promise<number | string>;
}

/** Starts `milab serve --json` on `stateDir`; resolves once it printed where it listens. */
export function startServe(stateDir: string, extra: string[] = []): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--state', stateDir, '--json', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | string>(done => child.once('exit', (code, signal) => done(code ?? signal ?? -1)));
    const timer = setTimeout(() => reject(new Error(`milab serve did not start in 30 s: ${stderr}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n')[0];
      if (!stdout.includes('\n') || !line) return;
      clearTimeout(timer);
      const info = JSON.parse(line) as { port: number; url: string };
      resolve({ child, port: info.port, url: info.url, stderr: () => stderr, exited });
    });
    void exited.then(code => {
      clearTimeout(timer);
      reject(new Error(`milab serve exited (${code}) before starting: ${stderr}`));
    });
  });
}

/** Runs `milab ARGS…` to completion. */
export function runMilab(
  args: string[],
  options: { timeoutMs?: number } = {},
): Promise<{ status: number | string; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ status: code ?? signal ?? -1, stdout, stderr });
    });
  });
}

// Starts a bench child process (bench/processes/*) and reads the JSON line it prints when ready.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export function startChild(script: string, args: string[] = []): Promise<{ child: ChildProcess; info: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'processes', script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.once('error', reject);
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve({ child, info: JSON.parse(text.split('\n')[0]!) });
    });
  });
}

/** Runs a child to its end and returns the JSON line it printed last. */
export async function runChild<T>(script: string, args: string[]): Promise<T> {
  const { child, info } = await startChild(script, args);
  await new Promise(resolve => child.once('exit', resolve));
  return info as unknown as T;
}

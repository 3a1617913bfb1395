import * as vscode from 'vscode';
import type { LabExtensionApi } from '../../src/extension/api';

export const EXTENSION_ID = 'milab.managed-identity-lab';

export async function activateLab(): Promise<LabExtensionApi> {
  const extension = vscode.extensions.getExtension<LabExtensionApi>(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise(r => setTimeout(r, 100));
  }
}

/** Prints a line in the test output (the extension host's console does not reach it). */
export function note(line: string): void {
  const file = process.env['MILAB_TEST_LOG'];
  console.log(line);
  if (file) require('node:fs').appendFileSync(file, `      · ${line}\n`);
}

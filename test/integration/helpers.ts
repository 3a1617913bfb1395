import * as vscode from 'vscode';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { LabExtensionApi } from '../../src/extension/api';
import type { Lab } from '../../src/engine/lab/lab';
import type { CommandOutcome } from '../../src/extension/feedback/outcome';

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
  if (file) fs.appendFileSync(file, `      · ${line}\n`);
}

/** Runs a lab command with arguments, as a script would. */
export async function run<T = unknown>(command: string, args?: unknown): Promise<CommandOutcome<T> | undefined> {
  return vscode.commands.executeCommand<CommandOutcome<T> | undefined>(`managedIdentityLab.${command}`, args);
}

/** Runs a command that must succeed, and returns its value. */
export async function ok<T = unknown>(command: string, args?: unknown): Promise<{ value: T; az?: string; message: string }> {
  const outcome = await run<T>(command, args);
  assert.ok(outcome, `${command} returned nothing`);
  if (!outcome.ok) assert.fail(`${command} failed: ${outcome.error}`);
  return outcome;
}

export const snapshot = (lab: Lab): string => JSON.stringify(lab.toState());

/**
 * Runs a command with bad arguments: it must fail with a clear message naming `mentions`,
 * show that message (never a stack trace), and leave the lab exactly as it was.
 */
export async function rejects(api: LabExtensionApi, command: string, args: unknown, mentions: RegExp): Promise<string> {
  const lab = await api.ready();
  const before = snapshot(lab);
  const outcome = await run(command, args);
  assert.ok(outcome && !outcome.ok, `${command} should have failed with ${JSON.stringify(args)}`);
  assert.match(outcome.error, mentions);
  assert.doesNotMatch(outcome.error, /\n\s+at |\.ts:\d+|\.js:\d+/, 'no stack trace');
  const shown = api.shownMessages.at(-1);
  assert.deepEqual(shown, { severity: 'error', text: outcome.error }, 'the error is what the person was last shown');
  assert.equal(snapshot(lab), before, `${command} changed the lab although it failed`);
  return outcome.error;
}

export async function resetLab(): Promise<Lab> {
  await ok('resetLab', { skipConfirmation: true });
  const api = await activateLab();
  return api.ready();
}

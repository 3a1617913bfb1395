// Shared by the az tests: run a command line as a shell would split it, and check that a
// failing command left the lab exactly as it was.
import * as assert from 'node:assert/strict';
import { createLab } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { runAz, shellWords, type AzResult } from '../../../src/az';
import { createRoleAssignment } from '../../../src/engine/operations/roleAssignments';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';

export async function az(lab: Lab, line: string, options: { color?: boolean; columns?: number } = {}): Promise<AzResult> {
  return runAz(lab, await shellWords(line, { variables: new Map() }), options);
}

/** Runs a command that must succeed and returns its parsed JSON output. */
export async function azJson<T = Record<string, unknown>>(lab: Lab, line: string): Promise<T> {
  const result = await az(lab, line);
  assert.equal(result.exitCode, 0, `${line}\n${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** Runs a command that must fail with `exitCode`, and checks that the lab did not change. */
export async function azFails(lab: Lab, line: string, exitCode: 1 | 2): Promise<AzResult> {
  const before = JSON.stringify(lab.toState());
  const result = await az(lab, line);
  assert.equal(result.exitCode, exitCode, `${line}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  assert.equal(result.stdout, '', 'a failed command prints nothing on stdout');
  assert.equal(JSON.stringify(lab.toState()), before, `the lab changed after: ${line}`);
  assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  return result;
}

/** An empty subscription the learner owns: the "fresh lab" scripts are replayed into. */
export async function emptyLab(): Promise<Lab> {
  const lab = await createLab({ sample: false });
  createRoleAssignment(lab, LAB_CALLER, {
    scope: `/subscriptions/${lab.defaultSubscriptionId}`,
    role: 'Owner',
    principalId: lab.directory.user.objectId,
    principalType: 'User',
  });
  return lab;
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

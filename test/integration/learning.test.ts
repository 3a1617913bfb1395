// Learning mode in real VS Code: the 403's notification, Check Access, the Diagnosis panel and
// Show Hint — the least-privileged role kept back until asked for; on in a scenario unless chosen.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateLab, ok, rejects, resetLab, run } from './helpers';
import type { SecretReadResult } from '../../src/host/appClient';
import type { Hint } from '../../src/extension/diagnosis/diagnosisController';
import { WITHHELD } from '../../src/engine/scenarios/learning';
import type { LabExtensionApi } from '../../src/extension/api';

const ROLE = 'Key Vault Secrets User';
const GET_SECRET = 'Microsoft.KeyVault/vaults/secrets/getSecret/action';

async function setMode(value: 'learning' | 'practitioner' | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('managedIdentityLab').update('learningMode', value, vscode.ConfigurationTarget.Global);
}

async function readAsVm(api: LabExtensionApi, vmName: string, vault: string) {
  const lab = await api.ready();
  const vm = lab.arm.resources.find(r => r.name === vmName)!;
  const read = await ok<SecretReadResult>('callService', { hostId: vm.id, vault, secret: 'db-password' });
  assert.equal(read.value.status, 403);
  return { read, shown: api.shownMessages.at(-1)!, principalId: vm.identity!.systemAssigned!.principalId, traceId: lab.traces.latest!.id };
}

describe('learning mode: the least-privileged role kept back until Show Hint', function () {
  this.timeout(120_000);
  before(resetLab);
  after(async () => {
    await setMode(undefined);
    await run('scenarioStop');
  });

  it('practitioner (the default): the 403 notification names the role and offers to assign it', async () => {
    const api = await activateLab();
    const { read, shown } = await readAsVm(api, 'vm-web', 'kv-lab');
    assert.match(read.message, new RegExp(`It needs ${ROLE}\\.`));
    assert.ok(shown.buttons?.includes(`Assign ${ROLE}`), `buttons: ${shown.buttons?.join(', ')}`);
    assert.ok(!shown.buttons?.includes('Show Hint'));
  });

  it('learning: the notification keeps the role back and offers Show Hint, which gives it with its Assign button', async () => {
    await setMode('learning');
    const api = await activateLab();
    const { read, shown, traceId } = await readAsVm(api, 'vm-web', 'kv-lab');
    assert.doesNotMatch(read.message, new RegExp(ROLE));
    assert.ok(read.message.includes(WITHHELD), read.message);
    assert.ok(shown.buttons?.includes('Show Hint'), `buttons: ${shown.buttons?.join(', ')}`);
    assert.ok(!shown.buttons?.some(b => b.includes(ROLE)), `buttons: ${shown.buttons?.join(', ')}`);
    assert.ok(shown.buttons?.includes('Why Did This Fail?'), 'the diagnosis is still offered');

    const hint = await ok<Hint>('showHint', { traceId });
    assert.equal(hint.value.role, ROLE);
    assert.match(
      hint.message,
      new RegExp(`^Hint: '${ROLE}' at kv-lab is the least-privileged built-in role that grants ${GET_SECRET}\\.$`),
    );
    assert.deepEqual(api.shownMessages.at(-1), { severity: 'info', text: hint.message, buttons: [`Assign ${ROLE}`] });
  });

  it('learning: the Diagnosis panel shows the finding without the answer and a Show Hint button; the hint fills it in', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const failed = [...lab.traces.all].reverse().find(t => t.status === 403)!;
    await ok('whyDidThisFail', { traceId: failed.id });
    const before = api.diagnosis.view!.findings[0]!;
    assert.equal(before.hint, 'Show Hint');
    assert.doesNotMatch(before.explanation, new RegExp(ROLE));
    assert.ok(!before.fixes.some(f => f.title.includes(ROLE)), before.fixes.map(f => f.title).join('; '));
    assert.equal(before.leastPrivilegeFor, undefined, 'the least-privilege link would give it away too');
    await ok('showHint', { traceId: failed.id });
    const after = api.diagnosis.view!.findings[0]!;
    assert.equal(after.hint, undefined);
    assert.ok(
      after.fixes.some(f => f.title.startsWith(`Assign ${ROLE}`)),
      after.fixes.map(f => f.title).join('; '),
    );
  });

  it('learning: Check Access says denied without naming the role, and offers Show Hint', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const vault = lab.arm.resources.find(r => r.name === 'kv-lab')!;
    const args = { principalId: vm.identity!.systemAssigned!.principalId, action: GET_SECRET, scope: vault.id };
    const checked = await ok('checkAccess', args);
    assert.match(checked.message, /Denied/);
    assert.doesNotMatch(checked.message, new RegExp(ROLE));
    assert.deepEqual(api.shownMessages.at(-1)?.buttons, ['Show Hint', 'Diagnose…']);
    const hint = await ok<Hint>('showHint', args);
    assert.equal(hint.value.role, ROLE);
  });

  it('Show Hint refuses what it cannot hint at, changing nothing', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vault = lab.arm.resources.find(r => r.name === 'kv-lab')!;
    await rejects(api, 'showHint', { traceId: 'no-such-trace' }, /There is no trace 'no-such-trace'/);
    await rejects(api, 'showHint', { principalId: lab.directory.user.objectId, action: GET_SECRET }, /'scope' is required/);
    await rejects(
      api,
      'showHint',
      { principalId: '00000000-0000-0000-0000-000000000000', action: GET_SECRET, scope: vault.id },
      /No principal/,
    );
  });

  it('a running scenario turns learning on unless the setting was chosen; stopping it turns it off', async () => {
    await setMode(undefined);
    assert.ok(await run('scenarioStart', { id: 'forbidden-403' }), 'the scenario started');
    const api = await activateLab();
    const inScenario = await readAsVm(api, 'vm-web', 'kv-web');
    assert.doesNotMatch(inScenario.read.message, new RegExp(ROLE));
    assert.ok(inScenario.shown.buttons?.includes('Show Hint'));

    await setMode('practitioner');
    const chosen = await readAsVm(api, 'vm-web', 'kv-web');
    assert.match(chosen.read.message, new RegExp(`It needs ${ROLE}\\.`), 'an explicit practitioner wins over the scenario');

    await setMode(undefined);
    assert.ok(await run('scenarioStop'));
    const after = await readAsVm(api, 'vm-web', 'kv-lab');
    assert.match(after.read.message, new RegExp(`It needs ${ROLE}\\.`));
  });
});

// Access: the seeds' story with arguments — read a secret as the VM (403, with the role that
// would fix it), check access, assign the role, read again (allowed), remove it, undo.
import * as assert from 'node:assert/strict';
import { activateLab, ok, resetLab, run, waitFor } from './helpers';
import type { SecretReadResult } from '../../src/host/appClient';
import type { Decision } from '../../src/engine/state/accessDecisions';
import type { RoleAssignmentState } from '../../src/engine/state/labState';
import { createRoleAssignmentTwin, showSecretTwin } from '../../src/az/twin';
import { recommendRole } from '../../src/engine/readModels/overview/denials';

const GET_SECRET = 'Microsoft.KeyVault/vaults/secrets/getSecret/action';

describe('access: assign, check and remove roles', () => {
  before(resetLab);

  it('reads a secret as the VM: 403 ForbiddenByRbac, drawn as a failure, and the fix is named', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const { value, message, az } = await ok<SecretReadResult>('callService', { hostId: vm.id, vault: 'kv-lab', secret: 'db-password' });
    assert.equal(value.status, 403);
    assert.equal(value.errorCode, 'ForbiddenByRbac');
    assert.equal(value.valueReturned, false);
    assert.match(message, /vm-web could not read db-password from kv-lab: 403 ForbiddenByRbac .* It needs Key Vault Secrets User\./);
    assert.equal(az, showSecretTwin('kv-lab', 'db-password'));
    const trace = lab.traces.latest!;
    assert.equal(trace.outcome, 'failure');
    assert.equal(trace.status, 403);
    const render = await waitFor(
      () => (api.tokenFlow.lastRender?.traceId === trace.id ? api.tokenFlow.lastRender : undefined),
      30_000,
      'the 403 to be drawn',
    );
    assert.equal(render.failures, 1, 'one break block: the 403 that ended the flow (the 401 challenge is a step)');
    assert.ok(render.participants.some(p => p.includes('Key Vault kv-lab')));
    const recommendation = recommendRole(lab, vm.identity!.systemAssigned!.principalId);
    assert.equal(recommendation?.role.roleName, 'Key Vault Secrets User');
  });

  it('checks access: denied, with the least-privileged role that would grant it', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const vault = lab.arm.resources.find(r => r.name === 'kv-lab')!;
    const { value } = await ok<Decision>('checkAccess', {
      principalId: vm.identity!.systemAssigned!.principalId,
      action: GET_SECRET,
      scope: `${vault.id}/secrets/db-password`,
    });
    assert.equal(value.allowed, false);
    assert.equal(value.suggestion?.roleName, 'Key Vault Secrets User');
    assert.equal(value.suggestion?.scope, vault.id);
    assert.match(
      api.shownMessages.at(-1)!.text,
      /vm-web: Denied: the principal has no role assignments\. The least-privileged built-in role that would: 'Key Vault Secrets User'/,
    );
  });

  it('assigns Key Vault Secrets User at the vault; the VM can read the secret; the diagram shows success', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const vault = lab.arm.resources.find(r => r.name === 'kv-lab')!;
    const principalId = vm.identity!.systemAssigned!.principalId;
    const { value: assignment, az } = await ok<RoleAssignmentState>('assignRole', {
      principalId,
      role: 'Key Vault Secrets User',
      scope: vault.id,
    });
    assert.equal(assignment.principalType, 'ServicePrincipal');
    assert.equal(
      az,
      createRoleAssignmentTwin({ principalId, principalType: 'ServicePrincipal', role: 'Key Vault Secrets User', scope: vault.id }),
    );
    assert.equal(recommendRole(lab, principalId), undefined, 'nothing left to recommend');

    const read = await ok<SecretReadResult>('callService', { hostId: vm.id, vault: vault.id, secret: 'db-password' });
    assert.equal(read.value.status, 200);
    assert.equal(read.value.valueReturned, true);
    assert.match(read.message, /vm-web read secret db-password from kv-lab \(the value is not shown\)/);
    assert.ok(!api.shownMessages.some(m => m.text.includes('P@ssw0rd')), 'the secret value is never shown');
    const trace = lab.traces.latest!;
    assert.equal(trace.outcome, 'success');
    const render = await waitFor(
      () => (api.tokenFlow.lastRender?.traceId === trace.id ? api.tokenFlow.lastRender : undefined),
      30_000,
      'the success to be drawn',
    );
    assert.equal(render.failures, 0);

    const check = await ok<Decision>('checkAccess', { principalId, action: GET_SECRET, scope: `${vault.id}/secrets/db-password` });
    assert.equal(check.value.allowed, true);
    assert.equal(check.value.grants[0]?.roleName, 'Key Vault Secrets User');
  });

  it('refuses a duplicate assignment with ARM’s message and changes nothing', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const vault = lab.arm.resources.find(r => r.name === 'kv-lab')!;
    const before = JSON.stringify(lab.toState());
    const outcome = await run('assignRole', {
      principalId: vm.identity!.systemAssigned!.principalId,
      role: 'Key Vault Secrets User',
      scope: vault.id,
    });
    assert.ok(outcome && !outcome.ok);
    assert.equal(outcome.code, 'RoleAssignmentExists');
    assert.equal(outcome.error, 'Assign role: The role assignment already exists.');
    assert.equal(JSON.stringify(lab.toState()), before);
  });

  it('removes the assignment by its id; undo restores it', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const [assignment] = lab.assignments.forPrincipal(vm.identity!.systemAssigned!.principalId);
    const id = `${assignment!.state.scope}/providers/Microsoft.Authorization/roleAssignments/${assignment!.state.name}`;
    await ok('removeRoleAssignment', { assignment: id });
    assert.equal(lab.assignments.get(assignment!.state.name), undefined);
    await ok('undo');
    assert.ok(lab.assignments.get(assignment!.state.name));
  });
});

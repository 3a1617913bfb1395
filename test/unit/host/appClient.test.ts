import * as assert from 'node:assert/strict';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import { startLabServer } from '../../../src/server/labServer';
import { readSecretAs, requestTokenAs } from '../../../src/host/appClient';
import { createRoleAssignment } from '../../../src/engine/operations/roleAssignments';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';

describe('host: the app client plays an SDK app over real HTTP', () => {
  it('reads a secret as a VM: 403 ForbiddenByRbac first, the value after Key Vault Secrets User, all drawn as one flow', async () => {
    const lab = await createLab();
    const server = await startLabServer(lab);
    try {
      const vm = lab.arm.resources.find(r => r.name === SAMPLE.vm)!;
      const vault = lab.arm.resources.find(r => r.name === SAMPLE.vault)!;
      const denied = await readSecretAs(lab, server, vm, SAMPLE.vault, SAMPLE.secret);
      assert.deepEqual(
        { stage: denied.stage, status: denied.status, errorCode: denied.errorCode, valueReturned: denied.valueReturned },
        { stage: 'keyvault', status: 403, errorCode: 'ForbiddenByRbac', valueReturned: false },
      );
      const trace = lab.traces.latest!;
      assert.deepEqual(
        trace.messages.filter(m => m.kind === 'response').map(m => m.status),
        [401, 200, 200, 403],
        'challenge, Entra, IMDS, Key Vault',
      );
      createRoleAssignment(lab, LAB_CALLER, {
        scope: vault.id,
        role: 'Key Vault Secrets User',
        principalId: vm.identity!.systemAssigned!.principalId,
      });
      const allowed = await readSecretAs(lab, server, vm, SAMPLE.vault, SAMPLE.secret);
      assert.equal(allowed.status, 200);
      assert.equal(allowed.valueReturned, true);
      const token = await requestTokenAs(lab, server, vm, 'https://management.azure.com/');
      assert.equal(token.status, 200);
    } finally {
      await server.close();
    }
  });
});

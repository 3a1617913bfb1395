// The built-in role catalogue is Microsoft's whole published set (builtInRoles.json), loaded as
// data; least-privileged suggestions search all of it and still name the role made for the task.
import * as assert from 'node:assert/strict';
import catalogue from '../../../src/engine/azure/builtInRoles.json';
import { BUILT_IN_ROLES } from '../../../src/engine/azure/builtInRoles';
import { createLab } from '../../../src/engine/operations/sampleLab';
import { planeOf } from '../../../src/engine/azure/actions';
import { az } from '../az/helpers';

describe('engine: the built-in role catalogue and least-privileged suggestions', () => {
  it('loads every published role, with its real id and permissions', () => {
    assert.equal(BUILT_IN_ROLES.length, catalogue.count);
    assert.ok(BUILT_IN_ROLES.length > 400, 'the whole catalogue, not a hand-picked few');
    assert.equal(new Set(BUILT_IN_ROLES.map(r => r.name)).size, BUILT_IN_ROLES.length, 'ids are unique');
    const byName = new Map(BUILT_IN_ROLES.map(r => [r.roleName, r]));
    assert.equal(byName.get('Reader')!.name, 'acdd72a7-3385-48ef-bd42-f606fba81ae7');
    assert.equal(byName.get('Contributor')!.name, 'b24988ac-6180-42a0-ab88-20f7382dd24c');
    assert.equal(byName.get('Managed Identity Operator')!.name, 'f1a07417-d97a-45cb-824c-7a7467783830');
    assert.deepEqual(byName.get('Key Vault Secrets User')!.permissions[0]!.dataActions, [
      'Microsoft.KeyVault/vaults/secrets/getSecret/action',
      'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
    ]);
    assert.deepEqual(byName.get('Storage Blob Data Reader')!.permissions[0]!.dataActions, [
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
    ]);
  });

  it('az role definition list shows them all', async () => {
    const lab = await createLab();
    const result = await az(lab, 'az role definition list --query "[?roleType==\'BuiltInRole\'] | length(@)"');
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(Number(result.stdout), catalogue.count);
    const acr = await az(lab, 'az role definition list --name AcrPull --query "[0].name" -o tsv');
    assert.equal(acr.stdout.trim(), '7f951dda-4ed3-4680-a7ca-43fe172d538d');
  });

  // Decided from the roles' permissions (engine/azure/leastPrivilege.ts): the role made for the
  // task, read-only for reads, never a first-party service's helper role that happens to hold it.
  const expected: Array<[string, string]> = [
    ['Microsoft.KeyVault/vaults/secrets/getSecret/action', 'Key Vault Secrets User'],
    ['Microsoft.KeyVault/vaults/secrets/setSecret/action', 'Key Vault Secrets Officer'],
    ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read', 'Storage Blob Data Reader'],
    ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write', 'Storage Blob Data Contributor'],
    ['Microsoft.ManagedIdentity/userAssignedIdentities/assign/action', 'Managed Identity Operator'],
    ['Microsoft.Authorization/roleAssignments/write', 'Role Based Access Control Administrator'],
    ['Microsoft.Compute/virtualMachines/write', 'Virtual Machine Contributor'],
    ['Microsoft.Web/sites/write', 'Website Contributor'],
    ['Microsoft.KeyVault/vaults/write', 'Key Vault Contributor'],
    ['Microsoft.KeyVault/vaults/read', 'Key Vault Reader'],
    ['Microsoft.Resources/subscriptions/resourceGroups/read', 'Reader'],
    ['Microsoft.Storage/storageAccounts/read', 'Reader'],
  ];
  for (const [action, role] of expected) {
    it(`suggests ${role} for ${action}`, async () => {
      const lab = await createLab();
      assert.equal(lab.access.leastPrivileged(action, planeOf(action))?.roleName, role);
    });
  }
});

// A second SDK judges the lab: Debian's Python Azure SDK (azure-identity 1.13, azure-keyvault-secrets
// 4.7, azure-storage-blob 12.15, azure-mgmt-*), unmodified, under `milab run` — IMDS at
// 169.254.169.254 and Azure's real names, in a network namespace of its own. No app sets an
// endpoint, a port or a verification option: what works here works on Azure, and fails the same way.
import * as assert from 'node:assert/strict';
import { python, requireClients, startLab, labAz } from './harness';
import type { LabHost } from '../../src/host/labHost';
import { furnishClientLab } from './clientLab';
import { LAB_CALLER } from '../../src/engine/lab/authorization';
import { createRoleAssignment } from '../../src/engine/operations/roleAssignments';
import { resourceGroupId } from '../../src/engine/azure/resourceId';
import type { ReadonlyResource } from '../../src/engine/state/labState';
import catalogue from '../../src/engine/azure/builtInRoles.json';

describe('clients: the Python Azure SDK under milab run', function () {
  let host: LabHost;
  let stateDir: string;
  let vm: ReadonlyResource;
  let vault: ReadonlyResource;
  let account: ReadonlyResource;
  let uami: ReadonlyResource;
  let web: ReadonlyResource;

  before(async () => {
    requireClients();
    ({ host, stateDir } = await startLab());
    ({ vm, vault, uami, account, web } = furnishClientLab(host.lab, {
      identity: 'id-orders',
      account: 'stlabdocs',
      container: 'docs',
      blob: 'readme.txt',
      blobText: 'hello from the lab',
      webUsesIdentity: true,
    }));
    await host.save();
  });
  after(() => host?.close());

  /** A role assignment, once (the tests build on each other's, but each may run alone). */
  const grant = (scope: string, role: string, principalId: string) => {
    if (!host.lab.access.isAllowed(principalId, 'Microsoft.Authorization/roleDefinitions/read', scope)) {
      createRoleAssignment(host.lab, LAB_CALLER, { scope, role, principalId });
    }
  };

  it('ManagedIdentityCredential on a VM: a system-assigned token from 169.254.169.254, drawn as the VM’s', async () => {
    const before = host.lab.traces.all.length;
    const result = await python(stateDir, 'vm-web', 'get_token.py', { scope: 'https://vault.azure.net/.default' });
    assert.ok(result.ok, result.message);
    const claims = result['claims'] as Record<string, unknown>;
    assert.equal(claims['oid'], vm.identity!.systemAssigned!.principalId);
    assert.equal(claims['xms_mirid'], vm.id);
    assert.equal(claims['aud'], 'https://vault.azure.net');
    const traces = host.lab.traces.all.slice(before);
    assert.ok(
      traces.some(t => t.hostResourceId === vm.id && t.messages.some(m => m.label.includes('/metadata/identity/oauth2/token'))),
      'the IMDS request is traced as the VM’s',
    );
  });

  it('ManagedIdentityCredential(client_id=…) on the VM: the user-assigned identity’s token, naming the VM', async () => {
    const result = await python(stateDir, 'vm-web', 'get_token.py', { clientId: uami.managedIdentity!.clientId });
    assert.ok(result.ok, result.message);
    const claims = result['claims'] as Record<string, unknown>;
    assert.equal(claims['oid'], uami.managedIdentity!.principalId);
    assert.equal(claims['xms_az_rid'], vm.id);
  });

  it('on a web app: tokens through IDENTITY_ENDPOINT/IDENTITY_HEADER, system- and user-assigned', async () => {
    const system = await python(stateDir, 'web-orders', 'get_token.py', {
      credential: 'default',
      scope: 'https://management.azure.com/.default',
    });
    assert.ok(system.ok, system.message);
    assert.equal((system['claims'] as Record<string, unknown>)['oid'], web.identity!.systemAssigned!.principalId);
    const user = await python(stateDir, 'web-orders', 'get_token.py', { clientId: uami.managedIdentity!.clientId });
    assert.ok(user.ok, user.message);
    assert.equal((user['claims'] as Record<string, unknown>)['oid'], uami.managedIdentity!.principalId);
    assert.equal((user['claims'] as Record<string, unknown>)['xms_az_rid'], web.id);
  });

  it('SecretClient with the vault’s real URL and default options: 403 ForbiddenByRbac, then the value after Key Vault Secrets User', async () => {
    const args = { vaultUrl: 'https://kv-lab.vault.azure.net/', name: 'db-password' };
    const denied = await python(stateDir, 'vm-web', 'read_secret.py', args);
    assert.equal(denied.ok, false);
    assert.equal(denied.status, 403, denied.message);
    assert.match(String(denied.message), /ForbiddenByRbac|Caller is not authorized/);
    createRoleAssignment(host.lab, LAB_CALLER, {
      scope: vault.id,
      role: 'Key Vault Secrets User',
      principalId: vm.identity!.systemAssigned!.principalId,
    });
    await host.save();
    const allowed = await python(stateDir, 'vm-web', 'read_secret.py', args);
    assert.ok(allowed.ok, allowed.message);
    assert.equal(allowed['value'], 'P@ssw0rd-from-the-lab');
  });

  it('Blob Storage with the account’s real URL: 403, then read with Storage Blob Data Reader, then write with Contributor', async () => {
    const args = { accountUrl: 'https://stlabdocs.blob.core.windows.net/', container: 'docs', blob: 'readme.txt' };
    const principalId = vm.identity!.systemAssigned!.principalId;
    const denied = await python(stateDir, 'vm-web', 'blob_data.py', args);
    assert.equal(denied.ok, false);
    assert.equal(denied.status, 403, denied.message);
    assert.equal(denied.code, 'AuthorizationPermissionMismatch');
    createRoleAssignment(host.lab, LAB_CALLER, { scope: account.id, role: 'Storage Blob Data Reader', principalId });
    await host.save();
    const read = await python(stateDir, 'vm-web', 'blob_data.py', args);
    assert.ok(read.ok, read.message);
    assert.equal(read['content'], 'hello from the lab');
    const refused = await python(stateDir, 'vm-web', 'blob_data.py', { ...args, write: 'changed' });
    assert.equal(refused.code, 'AuthorizationPermissionMismatch', 'a reader cannot write');
    createRoleAssignment(host.lab, LAB_CALLER, { scope: account.id, role: 'Storage Blob Data Contributor', principalId });
    await host.save();
    const written = await python(stateDir, 'vm-web', 'blob_data.py', { ...args, write: 'changed' });
    assert.ok(written.ok, written.message);
    assert.equal((await python(stateDir, 'vm-web', 'blob_data.py', args))['content'], 'changed');
  });

  it('ClientSecretCredential after `az ad sp create-for-rbac`: a token for the new app; a wrong secret gets AADSTS7000215', async () => {
    const created = JSON.parse(await labAz(host, 'ad', 'sp', 'create-for-rbac', '-n', 'orders-worker')) as Record<string, string>;
    const args = { tenantId: created['tenant'], clientId: created['appId'], secret: created['password'] };
    const before = host.lab.traces.all.length;
    const result = await python(stateDir, 'vm-web', 'service_principal.py', args);
    assert.ok(result.ok, result.message);
    const traced = host.lab.traces.all.slice(before).find(t => t.title.startsWith('Client credentials'));
    assert.equal(traced?.hostResourceId, vm.id, 'the app’s own sign-in is drawn on the VM it ran on');
    assert.equal((result['claims'] as Record<string, unknown>)['appid'], created['appId']);
    const wrong = await python(stateDir, 'vm-web', 'service_principal.py', { ...args, secret: 'not-the-secret' });
    assert.equal(wrong.ok, false);
    assert.match(String(wrong.message), /AADSTS7000215/);
  });

  it('azure-mgmt: resources.list(), vaults.list_by_resource_group and role assignments list what the VM may read, never fail for the rest', async () => {
    const lab = host.lab;
    const subscriptionId = lab.defaultSubscriptionId;
    const group = resourceGroupId(subscriptionId, 'rg-lab');
    const args = { subscriptionId, resourceGroup: 'rg-lab', scope: group };
    // Data roles only so far (earlier tests): a foothold in the subscription, nothing it may read in ARM.
    const before = await python(stateDir, 'vm-web', 'management.py', args);
    assert.deepEqual(before['resources'], []);
    assert.deepEqual(before['groups'], []);
    assert.deepEqual(before['vaults'], []);
    assert.equal((before['roleAssignments'] as { status?: number }).status, 403, 'reading assignments needs a role that reads them');
    createRoleAssignment(lab, LAB_CALLER, { scope: group, role: 'Reader', principalId: vm.identity!.systemAssigned!.principalId });
    await host.save();
    const after = await python(stateDir, 'vm-web', 'management.py', args);
    assert.deepEqual(
      after['resources'],
      ['id-orders', 'kv-lab', 'stlabdocs', 'vm-web'],
      "rg-lab's resources only: rg-web's are not the VM's to read",
    );
    assert.deepEqual(after['filtered'], ['kv-lab']);
    assert.deepEqual(after['paged'], after['resources'], '$top=1 pages through nextLink to the same list');
    assert.deepEqual(after['groups'], ['rg-lab']);
    assert.deepEqual(after['vaults'], [{ name: 'kv-lab', vaultUri: 'https://kv-lab.vault.azure.net/' }], 'the real URL, no port');
    assert.ok((after['roleAssignments'] as string[]).includes('acdd72a7-3385-48ef-bd42-f606fba81ae7'), 'Reader is listed');
  });

  it('role_definitions.list: the whole built-in catalogue, each role with the id and permissions of the data file', async () => {
    const subscriptionId = host.lab.defaultSubscriptionId;
    const group = resourceGroupId(subscriptionId, 'rg-lab');
    grant(group, 'Reader', vm.identity!.systemAssigned!.principalId);
    await host.save();
    const result = await python(stateDir, 'vm-web', 'management.py', { subscriptionId, resourceGroup: 'rg-lab', scope: group });
    const listed = result['roleDefinitions'] as Array<{ name: string; roleName: string; actions: string[]; dataActions: string[] }>;
    assert.ok(Array.isArray(listed), JSON.stringify(listed));
    assert.equal(listed.length, catalogue.roles.length);
    assert.equal(catalogue.roles.length, catalogue.count);
    const sample = [
      'Owner',
      'Reader',
      'Key Vault Secrets User',
      'Storage Blob Data Reader',
      'Managed Identity Operator',
      'AcrPull',
      'Website Contributor',
    ];
    for (const roleName of sample) {
      const expected = catalogue.roles.find(r => r.roleName === roleName)!;
      const got = listed.find(r => r.roleName === roleName);
      assert.ok(got, `${roleName} is listed`);
      assert.equal(got.name, expected.name, `${roleName}'s id`);
      assert.deepEqual(got.actions, expected.permissions[0]!.actions, `${roleName}'s actions`);
      assert.deepEqual(got.dataActions, expected.permissions[0]!.dataActions, `${roleName}'s dataActions`);
    }
  });
});

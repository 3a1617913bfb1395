// Every command with bad arguments: a clear message that names what is wrong, shown to the
// person (never a stack trace), and a lab exactly as it was before.
import { activateLab, rejects, resetLab } from './helpers';

describe('bad arguments: a clear message and no change', () => {
  before(resetLab);

  const nowhere =
    '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-lab/providers/Microsoft.Compute/virtualMachines/ghost';

  it('createResource', async () => {
    const api = await activateLab();
    await rejects(
      api,
      'createResource',
      { type: 'spaceship', resourceGroup: 'rg-lab', name: 'x1' },
      /'type' must be a resource type the lab simulates.*not 'spaceship'/,
    );
    await rejects(
      api,
      'createResource',
      { type: 'vm', resourceGroup: 'rg-lab', name: 'bad_name!' },
      /A Virtual Machine name must be 1-64 characters/,
    );
    await rejects(
      api,
      'createResource',
      { type: 'vm', resourceGroup: 'rg-missing', name: 'vm2' },
      /Resource group 'rg-missing' could not be found\. .*createGroup: true/,
    );
    await rejects(
      api,
      'createResource',
      { type: 'vm', resourceGroup: 'rg-new', name: 'vm2', createGroup: true, location: 'moon' },
      /'moon' is not an Azure region/,
    );
    await rejects(
      api,
      'createResource',
      { type: 'vm', resourceGroup: 'rg-lab', name: 'vm-web' },
      /rg-lab already has a Virtual Machine named vm-web/,
    );
    await rejects(api, 'createResource', { type: 'vm', name: 'vm2' }, /'resourceGroup' is required/);
    await rejects(
      api,
      'createResource',
      { type: 'vm', resourceGroup: 'rg-lab', name: 'vm2', systemAssigned: 'yes' },
      /'systemAssigned' must be true or false/,
    );
    await rejects(
      api,
      'createResource',
      { type: 'functionapp', resourceGroup: 'rg-lab', name: 'func-1' },
      /'storageAccount' is required for a Function App/,
    );
    await rejects(api, 'createResource', 'vm-web', /Expected an object of named arguments, got the text "vm-web"/);
  });

  it('deleteResource and deleteUserIdentity', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    await rejects(
      api,
      'deleteResource',
      { id: 'vm-web', skipConfirmation: true },
      /'vm-web' is not the id of a resource or a resource group/,
    );
    await rejects(
      api,
      'deleteResource',
      { id: nowhere.replace('00000000-0000-0000-0000-000000000000', lab.defaultSubscriptionId), skipConfirmation: true },
      /The Resource 'Microsoft.Compute\/virtualMachines\/ghost' under resource group 'rg-lab' was not found/,
    );
    await rejects(api, 'deleteResource', { skipConfirmation: true }, /'id' is required/);
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    await rejects(api, 'deleteUserIdentity', { id: vm.id, skipConfirmation: true }, /vm-web is not a user-assigned identity/);
  });

  it('enable/disable system-assigned identity', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const kv = lab.arm.resources.find(r => r.name === 'kv-lab')!;
    await rejects(
      api,
      'enableSystemIdentity',
      { resourceId: kv.id },
      /Resource type 'Microsoft.KeyVault\/vaults' does not support system-assigned managed identities/,
    );
    await rejects(api, 'enableSystemIdentity', { resourceId: 42 }, /'resourceId' is required/);
    await rejects(
      api,
      'disableSystemIdentity',
      { resourceId: kv.id, skipConfirmation: true },
      /has no system-assigned identity to turn off/,
    );
  });

  it('create/attach/detach user-assigned identity', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const kv = lab.arm.resources.find(r => r.name === 'kv-lab')!;
    await rejects(api, 'createUserIdentity', { resourceGroup: 'rg-lab', name: 'x' }, /A User-assigned managed identity name must be 3-128/);
    await rejects(
      api,
      'attachUserIdentity',
      { resourceId: vm.id, identityId: kv.id },
      /Identity operation for resource .* failed .*NotFound/,
    );
    await rejects(api, 'attachUserIdentity', { resourceId: vm.id }, /'identityId' is required/);
    await rejects(
      api,
      'detachUserIdentity',
      { resourceId: vm.id, identityId: kv.id },
      /The identity '.*kv-lab' is not assigned to 'vm-web'/,
    );
  });

  it('assignRole, removeRoleAssignment and checkAccess', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const kv = lab.arm.resources.find(r => r.name === 'kv-lab')!;
    const principalId = vm.identity!.systemAssigned!.principalId;
    await rejects(
      api,
      'assignRole',
      { principalId, role: 'Key Vault Secret Reader', scope: kv.id },
      /Role 'Key Vault Secret Reader' doesn't exist/,
    );
    await rejects(
      api,
      'assignRole',
      { principalId: 'not-a-guid', role: 'Reader', scope: kv.id },
      /The principal id 'not-a-guid' is not a valid GUID/,
    );
    await rejects(
      api,
      'assignRole',
      { principalId: '11111111-1111-1111-1111-111111111111', role: 'Reader', scope: kv.id },
      /Principal 11111111111111111111111111111111 does not exist in the directory/,
    );
    await rejects(
      api,
      'assignRole',
      { principalId, role: 'Reader', scope: `${kv.id}-gone` },
      /The Resource 'Microsoft.KeyVault\/vaults\/kv-lab-gone' .* was not found/,
    );
    await rejects(
      api,
      'assignRole',
      { principalId, role: 'Reader', scope: kv.id, principalType: 'Robot' },
      /'principalType' must be one of/,
    );
    await rejects(
      api,
      'removeRoleAssignment',
      { assignment: '22222222-2222-2222-2222-222222222222' },
      /There is no role assignment '22222222-2222-2222-2222-222222222222'/,
    );
    await rejects(
      api,
      'checkAccess',
      { principalId, action: 'Microsoft.KeyVault/vaults/read', scope: 'kv-lab' },
      /The request did not have a subscription or a valid tenant level resource provider/,
    );
    await rejects(
      api,
      'checkAccess',
      { principalId: '11111111-1111-1111-1111-111111111111', action: 'Microsoft.KeyVault/vaults/read', scope: kv.id },
      /No principal with object id '11111111-1111-1111-1111-111111111111'/,
    );
  });

  it('requestToken, callService and setFaults', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const kv = lab.arm.resources.find(r => r.name === 'kv-lab')!;
    await rejects(
      api,
      'requestToken',
      { hostId: kv.id, resource: 'https://vault.azure.net' },
      /kv-lab is a Key Vault: code does not run on it/,
    );
    await rejects(api, 'requestToken', { hostId: vm.id }, /'resource' is required: the audience/);
    await rejects(
      api,
      'requestToken',
      { hostId: vm.id, resource: 'https://vault.azure.net', identity: { by: 'name', value: 'x' } },
      /'identity' must be \{ by: 'clientId' \| 'objectId' \| 'resourceId'/,
    );
    await rejects(
      api,
      'callService',
      { hostId: vm.id, vault: 'kv-nowhere', secret: 'db-password' },
      /There is no Key Vault 'kv-nowhere' in the lab/,
    );
    await rejects(
      api,
      'callService',
      { hostId: 'vm-web', vault: 'kv-lab', secret: 'db-password' },
      /There is no resource 'vm-web' in the lab/,
    );
    await rejects(api, 'setFaults', { hostId: vm.id, latencyMs: -5 }, /latencyMs must be a whole number of milliseconds from 0 to 120000/);
    await rejects(
      api,
      'setFaults',
      { hostId: vm.id, failure: 'gone' },
      /'failure' must be one of 'none', 'gone410', 'notFound404', 'serverError500'/,
    );
  });

  it('copy commands, exports, environment and traces', async () => {
    const api = await activateLab();
    await rejects(api, 'copyResourceId', { id: '/subscriptions/nope' }, /'\/subscriptions\/nope' is invalid/);
    await rejects(api, 'copyPrincipalId', { principalId: '' }, /'principalId' is required/);
    await rejects(api, 'exportDiagram', { format: 'pdf' }, /'format' must be one of 'mmd', 'svg', 'md'/);
    await rejects(
      api,
      'exportDiagram',
      { format: 'mmd', traceId: 'no-such-trace', path: '/tmp/x.mmd' },
      /There is no trace 'no-such-trace'/,
    );
    await rejects(api, 'copyEnvironment', { hostId: 'kv-lab' }, /'kv-lab' is a Key Vault, not a compute resource/);
    await rejects(api, 'showTrace', { traceId: 'no-such-trace' }, /There is no trace 'no-such-trace' any more/);
    await rejects(api, 'resetLab', { skipConfirmation: 'please' }, /'skipConfirmation' must be true or false/);
  });

  it('undo with nothing to undo', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    while (lab.undoLabels.length) lab.undo();
    await rejects(api, 'undo', undefined, /There is nothing to undo/);
  });
});

// Identities: user-assigned identities created, attached, detached and deleted; system-assigned
// ones turned off (their assignments left "Identity not found") — and the Identities & Access
// view that shows all of it.
import * as assert from 'node:assert/strict';
import { activateLab, ok, resetLab } from './helpers';
import type { CreatedResource } from '../../src/extension/commands/createResource';
import type { IdentityNode } from '../../src/extension/views/nodes';
import type { LabExtensionApi } from '../../src/extension/api';
import {
  attachUserAssignedTwin,
  createUserAssignedIdentityTwin,
  detachUserAssignedTwin,
  disableSystemAssignedTwin,
} from '../../src/az/twin';

async function identityTree(
  api: LabExtensionApi,
): Promise<Array<{ label: string; description: string; children: Array<{ label: string; description: string; context: string }> }>> {
  const tree = api.identitiesTree;
  const out = [];
  for (const node of await tree.getChildren()) {
    const item = tree.getTreeItem(node);
    const children = (await tree.getChildren(node)).map((c: IdentityNode) => {
      const i = tree.getTreeItem(c);
      return { label: String(i.label), description: String(i.description ?? ''), context: String(i.contextValue ?? '') };
    });
    out.push({ label: String(item.label), description: String(item.description ?? ''), children });
  }
  return out;
}

describe('identities: commands and the Identities & Access view', () => {
  before(resetLab);

  it('creates a user-assigned identity, attaches it to the VM, and both views show it', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const created = await ok<CreatedResource>('createUserIdentity', { resourceGroup: 'rg-lab', name: 'shared-id' });
    assert.equal(created.az, createUserAssignedIdentityTwin({ resourceGroup: 'rg-lab', name: 'shared-id' }));
    const identity = lab.arm.resource(created.value.id)!;
    assert.equal(identity.managedIdentity?.principalId, created.value.principalId);

    const attached = await ok('attachUserIdentity', { resourceId: vm.id, identityId: identity.id });
    assert.equal(attached.az, attachUserAssignedTwin(vm.id, [identity.id]));
    assert.deepEqual(
      vm.identity?.userAssigned.map(u => u.resourceId),
      [identity.id],
    );

    const vmChildren = await api.resourcesTree.getChildren({ kind: 'resource', id: vm.id });
    assert.deepEqual(
      vmChildren.map(c => String(api.resourcesTree.getTreeItem(c).label)),
      ['System-assigned identity: On', 'User-assigned: shared-id'],
    );

    const tree = await identityTree(api);
    const shared = tree.find(t => t.label === 'shared-id')!;
    assert.match(shared.description, /^user-assigned · 0 role assignments$/);
    assert.deepEqual(
      shared.children.map(c => c.label),
      ['Attached to vm-web', 'No role assignments: it can get tokens, but no service will let it in'],
    );
    const system = tree.find(t => t.label === 'vm-web')!;
    assert.match(system.description, /^system-assigned/);
    assert.equal(system.children[0]!.label, 'Belongs to vm-web');
  });

  it('shows role assignments under the identity with their scope, and whether they are inherited', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const shared = lab.arm.resources.find(r => r.name === 'shared-id')!;
    const vault = lab.arm.resources.find(r => r.name === 'kv-lab')!;
    await ok('assignRole', {
      principalId: shared.managedIdentity!.principalId,
      role: 'Reader',
      scope: `/subscriptions/${lab.defaultSubscriptionId}/resourceGroups/rg-lab`,
    });
    await ok('assignRole', { principalId: shared.managedIdentity!.principalId, role: 'Key Vault Secrets User', scope: vault.id });
    const node = (await identityTree(api)).find(t => t.label === 'shared-id')!;
    const reader = node.children.find(c => c.label === 'Reader')!;
    assert.equal(reader.description, 'resource group rg-lab · inherited by everything in it');
    const secrets = node.children.find(c => c.label === 'Key Vault Secrets User')!;
    assert.equal(secrets.description, 'kv-lab (Key Vault)');
    assert.match(secrets.context, /\broleAssignment\b/);
    assert.match(node.description, /2 role assignments/);
  });

  it('detaches the identity from the VM; the identity and its assignments live on', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const shared = lab.arm.resources.find(r => r.name === 'shared-id')!;
    // As the context menu on "User-assigned: shared-id" passes it.
    const detached = await ok('detachUserIdentity', { kind: 'attachedIdentity', resourceId: vm.id, identityId: shared.id });
    assert.equal(detached.az, detachUserAssignedTwin(vm.id, [shared.id]));
    assert.deepEqual(vm.identity?.userAssigned, []);
    assert.equal(lab.assignments.forPrincipal(shared.managedIdentity!.principalId).length, 2);
    const node = (await identityTree(api)).find(t => t.label === 'shared-id')!;
    assert.ok(!node.children.some(c => c.label.startsWith('Attached to')));
  });

  it('turns the VM’s system-assigned identity off: its assignment is flagged "Identity not found"', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const vault = lab.arm.resources.find(r => r.name === 'kv-lab')!;
    const principal = vm.identity!.systemAssigned!.principalId;
    await ok('assignRole', { principalId: principal, role: 'Key Vault Secrets User', scope: vault.id });
    const off = await ok<{ deletedPrincipal?: { objectId: string } }>('disableSystemIdentity', {
      resourceId: vm.id,
      skipConfirmation: true,
    });
    assert.equal(off.az, disableSystemAssignedTwin(vm.id));
    assert.equal(off.value.deletedPrincipal?.objectId, principal);
    assert.equal(vm.identity?.systemAssigned, undefined);
    const tree = await identityTree(api);
    assert.ok(!tree.some(t => t.label === 'vm-web'), 'no longer a managed identity');
    const orphan = tree.find(t => t.label === 'Identity not found')!;
    assert.equal(orphan.description, `principal (object) id ${principal.toLowerCase()}`);
    assert.equal(orphan.children.length, 1);
    assert.equal(orphan.children[0]!.label, 'Key Vault Secrets User');
    assert.match(orphan.children[0]!.description, /kv-lab \(Key Vault\) · Identity not found/);
    assert.match(orphan.children[0]!.context, /\borphaned\b/);
    const [systemNode] = await api.resourcesTree.getChildren({ kind: 'resource', id: vm.id });
    assert.equal(api.resourcesTree.getTreeItem(systemNode!).label, 'System-assigned identity: Off');
  });

  it('removes the orphaned assignment from the view', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const orphanNode = (await api.identitiesTree.getChildren()).find(n => n.kind === 'orphanedPrincipal')!;
    const [assignment] = await api.identitiesTree.getChildren(orphanNode);
    const removed = await ok<{ name: string; scope: string }>('removeRoleAssignment', assignment);
    assert.match(removed.az!, /^az role assignment delete --ids .*\/providers\/Microsoft\.Authorization\/roleAssignments\/[0-9a-f-]{36}$/);
    assert.equal(lab.assignments.get(removed.value.name), undefined);
    assert.ok(!(await api.identitiesTree.getChildren()).some(n => n.kind === 'orphanedPrincipal'));
  });

  it('deletes the user-assigned identity: resources that pointed at it are told', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const shared = lab.arm.resources.find(r => r.name === 'shared-id')!;
    await ok('attachUserIdentity', { resourceId: vm.id, identityId: shared.id });
    const deleted = await ok<{ danglingReferences: unknown[] }>('deleteUserIdentity', { id: shared.id, skipConfirmation: true });
    assert.equal(deleted.value.danglingReferences.length, 1);
    assert.match(deleted.message, /1 resource\(s\) still point at the deleted identity/);
    const [, dangling] = await api.resourcesTree.getChildren({ kind: 'resource', id: vm.id });
    const item = api.resourcesTree.getTreeItem(dangling!);
    assert.equal(item.label, 'User-assigned: shared-id');
    assert.equal(item.description, 'identity deleted');
  });
});

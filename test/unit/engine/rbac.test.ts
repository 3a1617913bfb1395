import * as assert from 'node:assert/strict';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { LAB_CALLER, asPrincipal } from '../../../src/engine/lab/authorization';
import { createOrUpdateResource, createOrUpdateResourceGroup } from '../../../src/engine/operations/resources';
import { createCustomRole, createRoleAssignment, deleteRoleAssignment } from '../../../src/engine/operations/roleAssignments';
import { matchesPattern } from '../../../src/engine/azure/permissions';
import { LabError } from '../../../src/engine/base/errors';
import { resourceGroupId, subscriptionId } from '../../../src/engine/azure/resourceId';

const GET_SECRET = 'Microsoft.KeyVault/vaults/secrets/getSecret/action';

async function sampleLab(): Promise<{ lab: Lab; vaultId: string; vmId: string; vmPrincipal: string; groupScope: string; sub: string }> {
  const lab = await createLab();
  const vault = lab.arm.resources.find(r => r.name === SAMPLE.vault)!;
  const vm = lab.arm.resources.find(r => r.name === SAMPLE.vm)!;
  const sub = lab.defaultSubscriptionId;
  return {
    lab,
    vaultId: vault.id,
    vmId: vm.id,
    vmPrincipal: vm.identity!.systemAssigned!.principalId,
    groupScope: resourceGroupId(sub, SAMPLE.resourceGroup),
    sub,
  };
}

/** Runs `action`, expects a LabError with `code`, and checks the lab's state did not change. */
function rejectsAndChangesNothing(lab: Lab, action: () => unknown, code: string): LabError {
  const before = JSON.stringify(lab.toState());
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof LabError, `expected a LabError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(JSON.stringify(lab.toState()), before, 'the lab state must not change');
  return caught;
}

describe('engine: Azure RBAC', () => {
  describe('permission patterns', () => {
    it('compares case-insensitively and lets * span segments', () => {
      assert.ok(matchesPattern('*/read', 'Microsoft.Compute/virtualMachines/read'));
      assert.ok(matchesPattern('Microsoft.KeyVault/vaults/secrets/*', 'microsoft.keyvault/VAULTS/secrets/getSecret/action'));
      assert.ok(!matchesPattern('*/read', 'Microsoft.Compute/virtualMachines/write'));
      assert.ok(matchesPattern('*', 'Microsoft.Anything/at/all'));
    });
    it('lets /*/ match a single slash, as Managed Identity Operator relies on', () => {
      assert.ok(
        matchesPattern(
          'Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action',
          'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action',
        ),
      );
      assert.ok(
        !matchesPattern(
          'Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action',
          'Microsoft.ManagedIdentity/userAssignedIdentities/write',
        ),
      );
    });
  });

  describe('teaching cases', () => {
    it('Reader cannot read a Key Vault secret, and the decision says it is a data action', async () => {
      const { lab, vaultId, vmPrincipal } = await sampleLab();
      createRoleAssignment(lab, LAB_CALLER, { scope: vaultId, role: 'Reader', principalId: vmPrincipal });
      const decision = lab.access.decide({ principalId: vmPrincipal, action: GET_SECRET, scope: `${vaultId}/secrets/${SAMPLE.secret}` });
      assert.equal(decision.allowed, false);
      assert.equal(decision.plane, 'data');
      assert.match(decision.considered[0]!.reason, /Reader grants '\*\/read' but '.*getSecret\/action' is a data action/);
      assert.equal(decision.suggestion?.roleName, 'Key Vault Secrets User');
      assert.equal(decision.suggestion?.scope, vaultId, 'suggests the vault, not the secret');
      // …while a management read works
      assert.ok(lab.access.decide({ principalId: vmPrincipal, action: 'Microsoft.KeyVault/vaults/read', scope: vaultId }).allowed);
    });

    it('Contributor gets no data access', async () => {
      const { lab, vaultId, vmPrincipal, sub } = await sampleLab();
      createRoleAssignment(lab, LAB_CALLER, { scope: subscriptionId(sub), role: 'Contributor', principalId: vmPrincipal });
      assert.ok(lab.access.isAllowed(vmPrincipal, 'Microsoft.KeyVault/vaults/write', vaultId));
      for (const action of [GET_SECRET, 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read']) {
        const decision = lab.access.decide({ principalId: vmPrincipal, action, scope: vaultId });
        assert.equal(decision.allowed, false, action);
        assert.match(decision.considered[0]!.reason, /has no dataActions/);
      }
    });

    it('an assignment at a resource group applies to a vault inside it (inherited)', async () => {
      const { lab, vaultId, vmPrincipal, groupScope } = await sampleLab();
      createRoleAssignment(lab, LAB_CALLER, { scope: groupScope, role: 'Key Vault Secrets User', principalId: vmPrincipal });
      const decision = lab.access.decide({ principalId: vmPrincipal, action: GET_SECRET, scope: `${vaultId}/secrets/${SAMPLE.secret}` });
      assert.equal(decision.allowed, true);
      assert.equal(decision.grants[0]!.roleName, 'Key Vault Secrets User');
      assert.equal(decision.grants[0]!.scope, groupScope);
      assert.equal(decision.grants[0]!.inherited, true);
      assert.match(decision.summary, /inherited/);
    });

    it('an assignment on a sibling vault does not reach this one, and the decision says so', async () => {
      const { lab, vaultId, vmPrincipal } = await sampleLab();
      const other = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'keyvault', name: 'kv-other' });
      createRoleAssignment(lab, LAB_CALLER, { scope: other.id, role: 'Key Vault Secrets User', principalId: vmPrincipal });
      const decision = lab.access.decide({ principalId: vmPrincipal, action: GET_SECRET, scope: vaultId });
      assert.equal(decision.allowed, false);
      assert.match(decision.considered[0]!.reason, /does not contain/);
    });

    it("a role's notActions remove an action only from that role: another role of the same principal still grants it", async () => {
      const { lab, vmPrincipal, groupScope } = await sampleLab();
      const action = 'Microsoft.Authorization/roleAssignments/write';
      createRoleAssignment(lab, LAB_CALLER, { scope: groupScope, role: 'Contributor', principalId: vmPrincipal });
      const onlyContributor = lab.access.decide({ principalId: vmPrincipal, action, scope: groupScope });
      assert.equal(onlyContributor.allowed, false);
      assert.match(onlyContributor.considered[0]!.reason, /NotActions entry 'Microsoft\.Authorization\/\*\/Write' removes it/);
      createRoleAssignment(lab, LAB_CALLER, { scope: groupScope, role: 'User Access Administrator', principalId: vmPrincipal });
      const both = lab.access.decide({ principalId: vmPrincipal, action, scope: groupScope });
      assert.equal(both.allowed, true);
      assert.equal(both.grants[0]!.roleName, 'User Access Administrator');
    });

    it('notActions are not denies: a custom role granting what Contributor excludes still works alongside it', async () => {
      const { lab, vmPrincipal, groupScope, sub } = await sampleLab();
      createCustomRole(lab, LAB_CALLER, {
        roleName: 'Assignment Writer',
        actions: ['Microsoft.Authorization/roleAssignments/write'],
        assignableScopes: [subscriptionId(sub)],
      });
      createRoleAssignment(lab, LAB_CALLER, { scope: groupScope, role: 'Contributor', principalId: vmPrincipal });
      createRoleAssignment(lab, LAB_CALLER, { scope: groupScope, role: 'Assignment Writer', principalId: vmPrincipal });
      assert.ok(lab.access.isAllowed(vmPrincipal, 'Microsoft.Authorization/roleAssignments/write', groupScope));
    });

    it('re-enabling a system-assigned identity gives a new principal id and orphans the old assignments', async () => {
      const { lab, vmId, vaultId, vmPrincipal } = await sampleLab();
      const { disableSystemAssigned, enableSystemAssigned } = await import('../../../src/engine/operations/identities');
      const { isOrphaned } = await import('../../../src/engine/operations/roleAssignments');
      const assignment = createRoleAssignment(lab, LAB_CALLER, {
        scope: vaultId,
        role: 'Key Vault Secrets User',
        principalId: vmPrincipal,
      });
      const removal = disableSystemAssigned(lab, LAB_CALLER, vmId);
      assert.equal(removal.deletedPrincipal?.objectId, vmPrincipal);
      assert.deepEqual(
        removal.orphanedAssignments.map(a => a.name),
        [assignment.name],
      );
      assert.equal(lab.directory.byObject(vmPrincipal), undefined, 'the service principal is deleted');
      assert.ok(lab.assignments.get(assignment.name), 'the assignment stays behind');
      assert.ok(isOrphaned(lab, assignment));
      const again = enableSystemAssigned(lab, LAB_CALLER, vmId);
      assert.notEqual(again.principalId, vmPrincipal, 'a new principal');
      assert.equal(
        lab.access.decide({ principalId: again.principalId, action: GET_SECRET, scope: vaultId }).allowed,
        false,
        'old assignments do not come back',
      );
    });

    it('assigning a user-assigned identity to a VM needs …/assign/action: Managed Identity Operator has it, Virtual Machine Contributor does not', async () => {
      const { lab, vmId, groupScope } = await sampleLab();
      const { assignUserIdentities } = await import('../../../src/engine/operations/identities');
      const identity = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'identity', name: 'id-app' });
      const operator = lab.directory.user.objectId;
      // The learner starts as subscription Owner; take that away to see the two roles on their own.
      for (const a of lab.assignments.forPrincipal(operator).map(x => x.state)) deleteRoleAssignment(lab, LAB_CALLER, a.name);
      createRoleAssignment(lab, LAB_CALLER, { scope: groupScope, role: 'Virtual Machine Contributor', principalId: operator });
      const error = rejectsAndChangesNothing(
        lab,
        () => assignUserIdentities(lab, asPrincipal(operator), vmId, [identity.id]),
        'LinkedAuthorizationFailed',
      );
      assert.match(
        error.message,
        /has permission to perform action 'Microsoft\.Compute\/virtualMachines\/write'.*does not have permission to perform action\(s\) 'Microsoft\.ManagedIdentity\/userAssignedIdentities\/assign\/action'/,
      );
      createRoleAssignment(lab, LAB_CALLER, { scope: identity.id, role: 'Managed Identity Operator', principalId: operator });
      const attached = assignUserIdentities(lab, asPrincipal(operator), vmId, [identity.id]);
      assert.deepEqual(
        attached.map(u => u.clientId),
        [identity.managedIdentity!.clientId],
      );
    });
  });

  describe('role assignments: Azure’s validation and errors', () => {
    it('refuses a duplicate with RoleAssignmentExists', async () => {
      const { lab, vaultId, vmPrincipal } = await sampleLab();
      createRoleAssignment(lab, LAB_CALLER, { scope: vaultId, role: 'Key Vault Secrets User', principalId: vmPrincipal });
      const error = rejectsAndChangesNothing(
        lab,
        () =>
          createRoleAssignment(lab, LAB_CALLER, {
            scope: vaultId.toLowerCase(),
            role: '4633458b-17de-408a-b874-0445c86b69e6',
            principalId: vmPrincipal,
          }),
        'RoleAssignmentExists',
      );
      assert.equal(error.status, 409);
      assert.equal(error.message, 'The role assignment already exists.');
    });

    it('refuses an unknown role, by name and by id', async () => {
      const { lab, vaultId, vmPrincipal } = await sampleLab();
      assert.match(
        rejectsAndChangesNothing(
          lab,
          () => createRoleAssignment(lab, LAB_CALLER, { scope: vaultId, role: 'Directory Readers', principalId: vmPrincipal }),
          'RoleDefinitionNotFound',
        ).message,
        /^Role 'Directory Readers' doesn't exist\.$/,
      );
      assert.match(
        rejectsAndChangesNothing(
          lab,
          () =>
            createRoleAssignment(lab, LAB_CALLER, {
              scope: vaultId,
              role: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
              principalId: vmPrincipal,
            }),
          'RoleDefinitionNotFound',
        ).message,
        /The specified role definition with ID '88d8e3e38f554a1e953a9b9898b8876b' does not exist\./,
      );
    });

    it('refuses an unknown principal unless its type is given (ARM then trusts it)', async () => {
      const { lab, vaultId } = await sampleLab();
      const stranger = '9670314e-14b7-4dff-be50-f3d7d5d58855';
      assert.match(
        rejectsAndChangesNothing(
          lab,
          () => createRoleAssignment(lab, LAB_CALLER, { scope: vaultId, role: 'Reader', principalId: stranger }),
          'PrincipalNotFound',
        ).message,
        /Principal 9670314e14b74dffbe50f3d7d5d58855 does not exist in the directory/,
      );
      const created = createRoleAssignment(lab, LAB_CALLER, {
        scope: vaultId,
        role: 'Reader',
        principalId: stranger,
        principalType: 'ServicePrincipal',
      });
      assert.equal(created.principalType, 'ServicePrincipal');
    });

    it('refuses bad and missing scopes with ARM’s errors', async () => {
      const { lab, vmPrincipal, sub } = await sampleLab();
      rejectsAndChangesNothing(
        lab,
        () => createRoleAssignment(lab, LAB_CALLER, { scope: '/subscription/abc', role: 'Reader', principalId: vmPrincipal }),
        'MissingSubscription',
      );
      rejectsAndChangesNothing(
        lab,
        () => createRoleAssignment(lab, LAB_CALLER, { scope: `${resourceGroupId(sub, 'nope')}`, role: 'Reader', principalId: vmPrincipal }),
        'ResourceGroupNotFound',
      );
      rejectsAndChangesNothing(
        lab,
        () =>
          createRoleAssignment(lab, LAB_CALLER, {
            scope: `${resourceGroupId(sub, SAMPLE.resourceGroup)}/providers/Microsoft.KeyVault/vaults/ghost`,
            role: 'Reader',
            principalId: vmPrincipal,
          }),
        'ResourceNotFound',
      );
      rejectsAndChangesNothing(
        lab,
        () =>
          createRoleAssignment(lab, LAB_CALLER, {
            scope: '/subscriptions/00000000-0000-0000-0000-000000000000',
            role: 'Reader',
            principalId: vmPrincipal,
          }),
        'SubscriptionNotFound',
      );
    });

    it('authorizes the learner like anyone else: without roleAssignments/write the learner gets AuthorizationFailed', async () => {
      const { lab, vaultId, vmPrincipal } = await sampleLab();
      const learner = lab.directory.user.objectId;
      for (const a of lab.assignments.forPrincipal(learner).map(x => x.state)) deleteRoleAssignment(lab, LAB_CALLER, a.name);
      const error = rejectsAndChangesNothing(
        lab,
        () => createRoleAssignment(lab, lab.learner, { scope: vaultId, role: 'Reader', principalId: vmPrincipal }),
        'AuthorizationFailed',
      );
      assert.equal(error.status, 403);
      assert.equal(
        error.message,
        `The client '${lab.directory.user.userPrincipalName}' with object id '${learner}' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/write' over scope '${vaultId}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      );
    });

    it('starts the learner as subscription Owner, who can manage but not read secrets', async () => {
      const { lab, vaultId } = await sampleLab();
      const learner = lab.directory.user.objectId;
      assert.ok(lab.access.isAllowed(learner, 'Microsoft.Authorization/roleAssignments/write', vaultId));
      assert.equal(lab.access.decide({ principalId: learner, action: GET_SECRET, scope: vaultId }).allowed, false);
    });
  });

  describe('resources and lifecycles', () => {
    it('deleting a resource deletes its system-assigned principal and the assignments scoped to it, and orphans its assignments elsewhere', async () => {
      const { lab, vmId, vaultId, vmPrincipal, groupScope } = await sampleLab();
      const { deleteResource } = await import('../../../src/engine/operations/resources');
      const onVm = createRoleAssignment(lab, LAB_CALLER, { scope: vmId, role: 'Reader', principalId: lab.directory.user.objectId });
      const held = createRoleAssignment(lab, LAB_CALLER, { scope: vaultId, role: 'Key Vault Secrets User', principalId: vmPrincipal });
      const report = deleteResource(lab, lab.learner, vmId);
      assert.deepEqual(
        report.principals.map(p => p.objectId),
        [vmPrincipal],
      );
      assert.deepEqual(
        report.removedAssignments.map(a => a.name),
        [onVm.name],
      );
      assert.deepEqual(
        report.orphanedAssignments.map(a => a.name),
        [held.name],
      );
      assert.equal(lab.arm.resource(vmId), undefined);
      assert.ok(lab.assignments.get(held.name));
      assert.equal(lab.assignments.get(onVm.name), undefined);
      assert.ok(lab.arm.group(lab.defaultSubscriptionId, SAMPLE.resourceGroup), groupScope);
    });

    it('a user-assigned identity survives the resources it is attached to; deleting it leaves dangling references that fail at token time', async () => {
      const { lab, vmId } = await sampleLab();
      const { deleteResource, previewDeletion } = await import('../../../src/engine/operations/resources');
      const { assignUserIdentities } = await import('../../../src/engine/operations/identities');
      const { ManagedIdentityTokens } = await import('../../../src/engine/services/managedIdentity/acquire');
      const identity = createOrUpdateResource(lab, LAB_CALLER, {
        resourceGroup: SAMPLE.resourceGroup,
        type: 'identity',
        name: 'id-shared',
      });
      const web = createOrUpdateResource(lab, LAB_CALLER, {
        resourceGroup: SAMPLE.resourceGroup,
        type: 'vm',
        name: 'vm-two',
        identity: { userAssigned: [identity.id] },
      });
      assignUserIdentities(lab, LAB_CALLER, vmId, [identity.id]);
      deleteResource(lab, LAB_CALLER, web.id);
      assert.ok(lab.arm.resource(identity.id), 'the identity survives the VM');
      assert.ok(lab.directory.byObject(identity.managedIdentity!.principalId));
      assert.deepEqual(previewDeletion(lab, identity.id).danglingReferences, [{ hostId: vmId, identityId: identity.id }]);
      deleteResource(lab, LAB_CALLER, identity.id);
      const vm = lab.arm.resource(vmId)!;
      assert.equal(vm.identity!.userAssigned.length, 1, 'the VM still points at it');
      const result = await new ManagedIdentityTokens(lab).acquire(vm, 'https://vault.azure.net', {
        by: 'clientId',
        value: identity.managedIdentity!.clientId,
      });
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.failure.description, 'Identity not found');
    });

    it('reports the identity in ARM’s exact shape', async () => {
      const { lab, vmId } = await sampleLab();
      const { armIdentity, assignUserIdentities } = await import('../../../src/engine/operations/identities');
      const vm = lab.arm.resource(vmId)!;
      assert.deepEqual(Object.keys(armIdentity(lab, vm)!), ['principalId', 'tenantId', 'type']);
      assert.equal(armIdentity(lab, vm)!.type, 'SystemAssigned');
      const identity = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'identity', name: 'id-app' });
      assert.match(identity.id, /\/resourcegroups\//, 'user-assigned identity ids come back with lower-case resourcegroups');
      assignUserIdentities(lab, LAB_CALLER, vmId, [identity.id.replace('/resourcegroups/', '/resourceGroups/')]);
      const shape = armIdentity(lab, vm)!;
      assert.equal(shape.type, 'SystemAssigned, UserAssigned');
      assert.deepEqual(shape.userAssignedIdentities, {
        [identity.id]: { clientId: identity.managedIdentity!.clientId, principalId: identity.managedIdentity!.principalId },
      });
    });

    it('validates names, types, locations and global uniqueness, changing nothing on error', async () => {
      const { lab } = await sampleLab();
      rejectsAndChangesNothing(
        lab,
        () => createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'keyvault', name: 'kv' }),
        'InvalidResourceName',
      );
      rejectsAndChangesNothing(
        lab,
        () => createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'Microsoft.Nope/things', name: 'x' }),
        'InvalidResourceType',
      );
      rejectsAndChangesNothing(
        lab,
        () => createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: 'rg-missing', type: 'vm', name: 'vm1' }),
        'ResourceGroupNotFound',
      );
      rejectsAndChangesNothing(
        lab,
        () => createOrUpdateResourceGroup(lab, LAB_CALLER, { name: 'rg-x', location: 'atlantis' }),
        'InvalidArgument',
      );
      rejectsAndChangesNothing(
        lab,
        () => createOrUpdateResourceGroup(lab, LAB_CALLER, { name: 'bad<name>', location: 'eastus' }),
        'InvalidResourceName',
      );
      createOrUpdateResourceGroup(lab, LAB_CALLER, { name: 'rg-two', location: 'westeurope' });
      const taken = rejectsAndChangesNothing(
        lab,
        () => createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: 'rg-two', type: 'keyvault', name: SAMPLE.vault }),
        'Conflict',
      );
      assert.match(taken.message, /Vault names are globally unique/);
      rejectsAndChangesNothing(
        lab,
        () =>
          createOrUpdateResource(lab, LAB_CALLER, {
            resourceGroup: SAMPLE.resourceGroup,
            type: 'keyvault',
            name: 'kv-mi',
            identity: { systemAssigned: true },
          }),
        'ManagedIdentityNotSupported',
      );
      rejectsAndChangesNothing(
        lab,
        () =>
          createOrUpdateResource(lab, LAB_CALLER, {
            resourceGroup: SAMPLE.resourceGroup,
            type: 'vm',
            name: 'vm-x',
            identity: {
              userAssigned: [
                '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/x/providers/Microsoft.ManagedIdentity/userAssignedIdentities/none',
              ],
            },
          }),
        'FailedIdentityOperation',
      );
      rejectsAndChangesNothing(
        lab,
        () => createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'sqldb', name: 'no-server/db1' }),
        'ParentResourceNotFound',
      );
    });

    it('undoes a destructive action', async () => {
      const { lab, vmId, vmPrincipal } = await sampleLab();
      const { deleteResource } = await import('../../../src/engine/operations/resources');
      const before = JSON.stringify(lab.toState());
      deleteResource(lab, LAB_CALLER, vmId);
      assert.equal(lab.undoLabels[0], `Delete ${SAMPLE.vm}`);
      assert.equal(lab.undo(), `Delete ${SAMPLE.vm}`);
      assert.equal(JSON.stringify(lab.toState()), before);
      assert.ok(lab.directory.byObject(vmPrincipal));
    });
  });

  describe('directory', () => {
    it('finds principals by object id, client id, display name and resource id', async () => {
      const { lab, vmId, vmPrincipal } = await sampleLab();
      const sp = lab.directory.byObject(vmPrincipal)!;
      assert.equal(lab.directory.byClientId(sp.appId.toUpperCase()), sp);
      assert.deepEqual(lab.directory.byDisplayName(SAMPLE.vm.toUpperCase()), [sp]);
      assert.equal(lab.directory.byManagedIdentityResource(vmId.toLowerCase()), sp);
      assert.equal(sp.servicePrincipalType, 'ManagedIdentity');
      assert.deepEqual(sp.alternativeNames, ['isExplicit=False', vmId]);
      assert.equal(lab.directory.principal(lab.directory.user.objectId)?.kind, 'User');
    });
  });
});

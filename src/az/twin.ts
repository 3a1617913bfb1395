// The `az` twin of every action the lab's UI can take: the exact command line (one string,
// shell-quoted) that would do the same on real Azure — and that runs unchanged in the lab.
import { parseResourceId } from '../engine/azure/resourceId';
import { resourceTypeOf } from '../engine/azure/resourceTypes';
import { roleAssignmentId } from '../engine/operations/roleAssignments';
import { shellQuote } from '../engine/base/shellQuote';

type Word = string | undefined | false;

/** `az` and its words, every one quoted (option names are safe words and stay as they are); undefined/false words are left out. */
function az(...words: Word[]): string {
  return ['az', ...words.filter((w): w is string => typeof w === 'string').map(shellQuote)].join(' ');
}

const option = (name: string, value: string | undefined): Word[] => (value === undefined ? [] : [name, value]);

/** The command group that manages a resource type's identity and lifecycle, if az has one. */
function groupFor(resourceId: string): {
  group: 'vm' | 'vmss' | 'webapp' | 'functionapp' | 'identity' | 'keyvault' | 'storage account' | undefined;
  resourceGroup: string;
  name: string;
} {
  const parsed = parseResourceId(resourceId);
  if (parsed.kind !== 'resource' || parsed.resourceGroup === undefined) {
    throw new Error(`'${resourceId}' is not the id of a resource in a resource group.`);
  }
  const name = parsed.names[parsed.names.length - 1]!;
  const type = parsed.type!.toLowerCase();
  const groups: Record<string, 'vm' | 'vmss' | 'identity' | 'keyvault' | 'storage account'> = {
    'microsoft.compute/virtualmachines': 'vm',
    'microsoft.compute/virtualmachinescalesets': 'vmss',
    'microsoft.managedidentity/userassignedidentities': 'identity',
    'microsoft.keyvault/vaults': 'keyvault',
    'microsoft.storage/storageaccounts': 'storage account',
  };
  return { group: groups[type], resourceGroup: parsed.resourceGroup, name };
}

/** Which site command group a Microsoft.Web/sites resource belongs to (its kind decides). */
function siteGroup(kind: string | undefined): 'webapp' | 'functionapp' {
  return resourceTypeOf('Microsoft.Web/sites', kind)?.key === 'functionapp' ? 'functionapp' : 'webapp';
}

function identityHost(
  resourceId: string,
  kind?: string,
): { group: 'vm' | 'vmss' | 'webapp' | 'functionapp'; resourceGroup: string; name: string } {
  const target = groupFor(resourceId);
  const isSite = parseResourceId(resourceId).type?.toLowerCase() === 'microsoft.web/sites';
  const group = isSite ? siteGroup(kind) : target.group;
  if (group !== 'vm' && group !== 'vmss' && group !== 'webapp' && group !== 'functionapp') {
    throw new Error(`az has no identity commands for '${parseResourceId(resourceId).type}' in the lab.`);
  }
  return { group, resourceGroup: target.resourceGroup, name: target.name };
}

export function createResourceGroupTwin(name: string, location: string): string {
  return az('group', 'create', '--name', name, '--location', location);
}

export function deleteResourceGroupTwin(name: string): string {
  return az('group', 'delete', '--name', name, '--yes');
}

export interface VmTwinOptions {
  resourceGroup: string;
  name: string;
  image?: string;
  location?: string;
  size?: string;
  /** true: the system-assigned identity; a list: `[system]` and/or user-assigned identity ids. */
  assignIdentity?: boolean | readonly string[];
}

export function createVmTwin(o: VmTwinOptions): string {
  const identities =
    o.assignIdentity === true ? [] : o.assignIdentity === false || o.assignIdentity === undefined ? undefined : [...o.assignIdentity];
  return az(
    'vm',
    'create',
    '--resource-group',
    o.resourceGroup,
    '--name',
    o.name,
    '--image',
    o.image ?? 'Ubuntu2404',
    ...option('--location', o.location),
    ...option('--size', o.size),
    '--generate-ssh-keys',
    ...(identities ? ['--assign-identity', ...identities] : []),
  );
}

export function createAppServicePlanTwin(o: { resourceGroup: string; name: string; sku?: string; location?: string }): string {
  return az(
    'appservice',
    'plan',
    'create',
    '--resource-group',
    o.resourceGroup,
    '--name',
    o.name,
    '--sku',
    o.sku ?? 'B1',
    ...option('--location', o.location),
  );
}

export function createWebAppTwin(o: { resourceGroup: string; name: string; plan: string; assignIdentity?: boolean }): string {
  return az(
    'webapp',
    'create',
    '--resource-group',
    o.resourceGroup,
    '--name',
    o.name,
    '--plan',
    o.plan,
    ...(o.assignIdentity ? ['--assign-identity', '[system]'] : []),
  );
}

export function createFunctionAppTwin(o: {
  resourceGroup: string;
  name: string;
  storageAccount: string;
  consumptionPlanLocation?: string;
  plan?: string;
  assignIdentity?: boolean;
}): string {
  const hosting = o.plan ? ['--plan', o.plan] : ['--consumption-plan-location', o.consumptionPlanLocation ?? 'eastus'];
  return az(
    'functionapp',
    'create',
    '--resource-group',
    o.resourceGroup,
    '--name',
    o.name,
    '--storage-account',
    o.storageAccount,
    ...hosting,
    '--functions-version',
    '4',
    ...(o.assignIdentity ? ['--assign-identity', '[system]'] : []),
  );
}

export function createUserAssignedIdentityTwin(o: { resourceGroup: string; name: string; location?: string }): string {
  return az('identity', 'create', '--resource-group', o.resourceGroup, '--name', o.name, ...option('--location', o.location));
}

export function createKeyVaultTwin(o: { resourceGroup: string; name: string; location?: string }): string {
  return az('keyvault', 'create', '--resource-group', o.resourceGroup, '--name', o.name, ...option('--location', o.location));
}

export function createStorageAccountTwin(o: { resourceGroup: string; name: string; location?: string; sku?: string }): string {
  return az(
    'storage',
    'account',
    'create',
    '--resource-group',
    o.resourceGroup,
    '--name',
    o.name,
    ...option('--location', o.location),
    '--sku',
    o.sku ?? 'Standard_LRS',
  );
}

/** Deleting a resource with its own command group's delete (with `--yes` where az would ask), else `az resource delete`. */
export function deleteResourceTwin(resourceId: string, kind?: string): string {
  const { group, resourceGroup, name } = groupFor(resourceId);
  const isSite = parseResourceId(resourceId).type?.toLowerCase() === 'microsoft.web/sites';
  if (isSite) return az(siteGroup(kind), 'delete', '--resource-group', resourceGroup, '--name', name);
  switch (group) {
    case 'vm':
      return az('vm', 'delete', '--resource-group', resourceGroup, '--name', name, '--yes');
    case 'vmss':
    case 'identity':
      return az(group, 'delete', '--resource-group', resourceGroup, '--name', name);
    case 'keyvault':
      return az('keyvault', 'delete', '--resource-group', resourceGroup, '--name', name);
    case 'storage account':
      return az('storage', 'account', 'delete', '--resource-group', resourceGroup, '--name', name, '--yes');
    default:
      return az('resource', 'delete', '--ids', resourceId);
  }
}

/** Turning the system-assigned identity on (`az vm identity assign`, and its webapp/functionapp/vmss twins). */
export function enableSystemAssignedTwin(resourceId: string, kind?: string): string {
  const host = identityHost(resourceId, kind);
  return az(...host.group.split(' '), 'identity', 'assign', '--resource-group', host.resourceGroup, '--name', host.name);
}

export function disableSystemAssignedTwin(resourceId: string, kind?: string): string {
  const host = identityHost(resourceId, kind);
  return az(host.group, 'identity', 'remove', '--resource-group', host.resourceGroup, '--name', host.name, '--identities', '[system]');
}

export function attachUserAssignedTwin(resourceId: string, identityIds: readonly string[], kind?: string): string {
  const host = identityHost(resourceId, kind);
  return az(host.group, 'identity', 'assign', '--resource-group', host.resourceGroup, '--name', host.name, '--identities', ...identityIds);
}

export function detachUserAssignedTwin(resourceId: string, identityIds: readonly string[], kind?: string): string {
  const host = identityHost(resourceId, kind);
  return az(host.group, 'identity', 'remove', '--resource-group', host.resourceGroup, '--name', host.name, '--identities', ...identityIds);
}

export interface RoleAssignmentTwinOptions {
  principalId: string;
  principalType: 'User' | 'ServicePrincipal' | 'Group' | 'ForeignGroup' | 'Device';
  /** The role's name (preferred: it reads better) or id. */
  role: string;
  scope: string;
}

/** Creating a role assignment by object id and principal type: no Graph lookup, as Microsoft recommends for new identities. */
export function createRoleAssignmentTwin(o: RoleAssignmentTwinOptions): string {
  return az(
    'role',
    'assignment',
    'create',
    '--assignee-object-id',
    o.principalId,
    '--assignee-principal-type',
    o.principalType,
    '--role',
    o.role,
    '--scope',
    o.scope,
  );
}

export function deleteRoleAssignmentTwin(assignment: { scope: string; name: string }): string {
  return az('role', 'assignment', 'delete', '--ids', roleAssignmentId(assignment.scope, assignment.name));
}

export function setSecretTwin(vaultName: string, secretName: string, value: string): string {
  return az('keyvault', 'secret', 'set', '--vault-name', vaultName, '--name', secretName, '--value', value);
}

export function showSecretTwin(vaultName: string, secretName: string): string {
  return az('keyvault', 'secret', 'show', '--vault-name', vaultName, '--name', secretName);
}

/** A token for the signed-in learner (what `az` itself would use to call `resource`). */
export function requestTokenTwin(resource: string): string {
  return az('account', 'get-access-token', '--resource', resource);
}

// What the catalogue's setups are built from: engine operations run as the lab itself (never
// authorized), in one resource group, with the learner as Owner of the subscription (whoever
// creates one is). Names are the scenarios' own, so the story, the hints and the solution's az
// lines can name them.
import type { Lab } from '../lab/lab';
import { LAB_CALLER } from '../lab/authorization';
import { createOrUpdateResource, createOrUpdateResourceGroup } from '../operations/resources';
import { createRoleAssignment } from '../operations/roleAssignments';
import { seedBlob, seedSecret } from '../operations/dataPlaneSeeds';
import { resourceTypeByKey } from '../azure/resourceTypes';
import { subscriptionId } from '../azure/resourceId';
import type { ReadonlyResource } from '../state/labState';

export const GROUP = 'rg-scenario';
const LOCATION = 'eastus';
const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';

/** The resource group, and the learner as Owner of the subscription. */
export function groundwork(lab: Lab): void {
  createOrUpdateResourceGroup(lab, LAB_CALLER, { name: GROUP, location: LOCATION });
  const scope = subscriptionId(lab.defaultSubscriptionId);
  if (!lab.assignments.find(lab.directory.user.objectId, OWNER, scope)) {
    createRoleAssignment(lab, LAB_CALLER, { scope, role: 'Owner', principalId: lab.directory.user.objectId, principalType: 'User' });
  }
}

type Identity = { systemAssigned?: boolean; userAssigned?: string[] };

export function resource(
  lab: Lab,
  type: string,
  name: string,
  extra: { identity?: Identity; properties?: Record<string, unknown> } = {},
): ReadonlyResource {
  return createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: GROUP, type, name, ...extra });
}

export const vm = (lab: Lab, name: string, identity?: Identity) => resource(lab, 'vm', name, identity ? { identity } : {});

export const userIdentity = (lab: Lab, name: string) => resource(lab, 'identity', name);

/** A vault holding the given secrets; `rbac: false` puts it in access-policy mode. */
export function vaultWith(lab: Lab, name: string, secrets: Record<string, string>, options: { rbac?: boolean } = {}): ReadonlyResource {
  const vault = resource(lab, 'keyvault', name, options.rbac === false ? { properties: { enableRbacAuthorization: false } } : {});
  for (const [secret, value] of Object.entries(secrets)) seedSecret(lab, vault.id, secret, value);
  return vault;
}

export function storageWith(lab: Lab, name: string, container: string, blobs: Record<string, string>): ReadonlyResource {
  const account = resource(lab, 'storage', name);
  for (const [blob, text] of Object.entries(blobs)) seedBlob(lab, account.id, container, blob, text);
  return account;
}

export function grant(lab: Lab, principalId: string, role: string, scope: string): void {
  createRoleAssignment(lab, LAB_CALLER, { scope, role, principalId, principalType: 'ServicePrincipal' });
}

/** The lab's resource of a type (the lab's key: `vm`, `keyvault`…) by name, if it has one. */
export function named(lab: Lab, type: string, name: string): ReadonlyResource | undefined {
  const armType = resourceTypeByKey(type)?.armType.toLowerCase();
  return lab.arm.resources.find(r => r.type.toLowerCase() === armType && r.name.toLowerCase() === name.toLowerCase());
}

/** The system-assigned principal of a host, if it has one on. */
export const systemPrincipalOf = (lab: Lab, host: string): string | undefined =>
  (named(lab, 'vm', host) ?? named(lab, 'webapp', host) ?? named(lab, 'functionapp', host))?.identity?.systemAssigned?.principalId;

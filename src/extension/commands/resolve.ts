// Reading what a tree element means to a command: the resource it is about, the principal
// (identity) it stands for, or the scope it names.
import type { Lab } from '../../engine/lab/lab';
import { idKey, subscriptionId } from '../../engine/azure/resourceId';
import type { LabNode } from '../views/nodes';

/** The compute resource an element is about (the host code runs on). */
export function hostOf(lab: Lab, node: LabNode): string | undefined {
  switch (node.kind) {
    case 'resource':
      return node.id;
    case 'systemIdentity':
    case 'attachedIdentity':
    case 'attachment':
      return node.resourceId;
    case 'identity': {
      if (node.identityKind === 'SystemAssigned') return node.resourceId;
      const hosts = lab.arm.resources.filter(r => r.identity?.userAssigned.some(u => idKey(u.resourceId) === idKey(node.resourceId)));
      return hosts.length === 1 ? hosts[0]!.id : undefined;
    }
    default:
      return undefined;
  }
}

/** The user-assigned identity an element names, as the token request's identity selector. */
export function userIdentityOf(node: LabNode): string | undefined {
  if (node.kind === 'attachedIdentity') return node.identityId;
  if ((node.kind === 'attachment' || node.kind === 'identity') && node.identityKind === 'UserAssigned') {
    return node.kind === 'attachment' ? node.identityResourceId : node.resourceId;
  }
  return undefined;
}

/** The principal (object id) an element stands for. */
export function principalOf(lab: Lab, node: LabNode): string | undefined {
  switch (node.kind) {
    case 'systemIdentity':
      return lab.arm.resource(node.resourceId)?.identity?.systemAssigned?.principalId;
    case 'attachedIdentity':
      return lab.arm.resource(node.resourceId)?.identity?.userAssigned.find(u => idKey(u.resourceId) === idKey(node.identityId))
        ?.principalId;
    case 'identity':
    case 'attachment':
    case 'orphanedPrincipal':
    case 'assignment':
      return node.principalId;
    case 'resource': {
      const resource = lab.arm.resource(node.id);
      return resource?.managedIdentity?.principalId ?? resource?.identity?.systemAssigned?.principalId;
    }
    default:
      return undefined;
  }
}

/** The scope an element names, when it is a place roles can be assigned at. */
export function scopeOf(node: LabNode): string | undefined {
  switch (node.kind) {
    case 'subscription':
      return subscriptionId(node.subscriptionId);
    case 'group':
      return node.id;
    case 'resource':
      return node.id;
    default:
      return undefined;
  }
}

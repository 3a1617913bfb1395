// Managed-identity lifecycles, as Azure runs them.
// - Enabling a system-assigned identity creates a service principal named after its resource;
//   disabling it (or deleting the resource) deletes that principal and leaves its role
//   assignments orphaned; enabling again creates a *new* principal with a new id.
// - A user-assigned identity is a resource of its own, attached to many resources, surviving
//   them; deleting it leaves the resources that point at it with a dangling reference.
// Attaching one needs `…/userAssignedIdentities/assign/action` on the identity (ARM's "linked
// authorization"), which Managed Identity Operator has and Virtual Machine Contributor lacks.
import type { Lab } from '../lab/lab';
import type { Caller } from '../lab/authorization';
import { authorize, authorizeLinked } from '../lab/authorization';
import { LabError } from '../base/errors';
import { failedIdentityOperationNotFound, resourceNotFound } from './messages';
import { newGuid } from '../base/ids';
import type {
  AttachedUserIdentity,
  ReadonlyResource,
  ReadonlyRoleAssignment,
  ResourceState,
  ServicePrincipalState,
} from '../state/labState';
import { mutable } from '../lab/mutable';
import { idKey, parseResourceId, sameId } from '../azure/resourceId';
import type { ResourceTypeInfo } from '../azure/resourceTypes';
import { resourceTypeOf } from '../azure/resourceTypes';

export const ASSIGN_IDENTITY_ACTION = 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action';
export const USER_ASSIGNED_TYPE = 'Microsoft.ManagedIdentity/userAssignedIdentities';

export interface IdentityRequest {
  systemAssigned?: boolean;
  /** ARM ids of user-assigned identities to attach. */
  userAssigned?: readonly string[];
}

export function createManagedIdentityPrincipal(
  lab: Lab,
  displayName: string,
  resourceId: string,
  explicit: boolean,
): ServicePrincipalState {
  const sp: ServicePrincipalState = {
    objectId: newGuid(),
    appId: newGuid(),
    displayName,
    servicePrincipalType: 'ManagedIdentity',
    alternativeNames: [`isExplicit=${explicit ? 'True' : 'False'}`, resourceId],
    createdAt: lab.clock.now(),
  };
  mutable(lab).directory.add(sp);
  return sp;
}

function typeInfo(resource: ReadonlyResource): ResourceTypeInfo | undefined {
  return resourceTypeOf(resource.type, resource.kind);
}

function unsupported(info: ResourceTypeInfo | undefined, type: string, which: string): LabError {
  return new LabError(
    'ManagedIdentityNotSupported',
    `Resource type '${info?.armType ?? type}' does not support ${which} managed identities.`,
    400,
    'identity',
  );
}

/** The user-assigned identity resource an id names; throws ARM's identity-operation error when there is none. */
export function requireUserAssignedIdentity(lab: Lab, hostId: string, identityId: string): ReadonlyResource {
  const parsed = (() => {
    try {
      return parseResourceId(identityId);
    } catch {
      return undefined;
    }
  })();
  const identity = parsed?.type?.toLowerCase() === USER_ASSIGNED_TYPE.toLowerCase() ? lab.arm.resource(identityId) : undefined;
  if (!identity) {
    throw new LabError('FailedIdentityOperation', failedIdentityOperationNotFound(hostId, identityId), 404, 'identities');
  }
  return identity;
}

/** Checks an identity change (support, existence, both authorizations) without changing anything. */
export function validateIdentityRequest(lab: Lab, caller: Caller, info: ResourceTypeInfo, hostId: string, request: IdentityRequest): void {
  if (request.systemAssigned && !info.systemAssigned) throw unsupported(info, info.armType, 'system-assigned');
  if (request.userAssigned?.length && !info.userAssigned) throw unsupported(info, info.armType, 'user-assigned');
  for (const id of request.userAssigned ?? []) {
    const identity = requireUserAssignedIdentity(lab, hostId, id);
    authorizeLinked(
      lab,
      caller,
      { action: `${info.armType}/write`, scope: hostId },
      { action: ASSIGN_IDENTITY_ACTION, scope: identity.id },
    );
  }
}

/** Applies an already-validated identity change. */
export function applyIdentityRequest(lab: Lab, resource: ResourceState, request: IdentityRequest): void {
  if (request.systemAssigned && !resource.identity?.systemAssigned) {
    const sp = createManagedIdentityPrincipal(lab, resource.name, resource.id, false);
    resource.identity = {
      userAssigned: resource.identity?.userAssigned ?? [],
      systemAssigned: { principalId: sp.objectId, clientId: sp.appId },
    };
  }
  for (const id of request.userAssigned ?? []) {
    const identity = lab.arm.resource(id)!;
    const attached = resource.identity?.userAssigned ?? [];
    if (attached.some(u => sameId(u.resourceId, identity.id))) continue;
    const entry: AttachedUserIdentity = {
      resourceId: identity.id,
      principalId: identity.managedIdentity!.principalId,
      clientId: identity.managedIdentity!.clientId,
    };
    resource.identity = {
      ...(resource.identity?.systemAssigned ? { systemAssigned: resource.identity.systemAssigned } : {}),
      userAssigned: [...attached, entry],
    };
  }
}

/** Turns the system-assigned identity on (a no-op when it already is), returning its ids. */
export function enableSystemAssigned(lab: Lab, caller: Caller, resourceId: string): { principalId: string; clientId: string } {
  const resource = requireHost(lab, resourceId);
  const info = typeInfo(resource);
  if (!info?.systemAssigned) throw unsupported(info, resource.type, 'system-assigned');
  authorize(lab, caller, `${resource.type}/write`, resource.id);
  applyIdentityRequest(lab, resource, { systemAssigned: true });
  lab.notify('identities');
  return resource.identity!.systemAssigned!;
}

export interface IdentityRemoval {
  /** The deleted service principal, if a system-assigned identity was turned off. */
  deletedPrincipal?: { objectId: string; displayName: string };
  /** Its role assignments, now orphaned ("Identity not found"). */
  orphanedAssignments: ReadonlyRoleAssignment[];
  detached: string[];
}

/** Turns the system-assigned identity off: its principal is deleted, its assignments stay behind. */
export function disableSystemAssigned(lab: Lab, caller: Caller, resourceId: string): IdentityRemoval {
  const resource = requireHost(lab, resourceId);
  authorize(lab, caller, `${resource.type}/write`, resource.id);
  const system = resource.identity?.systemAssigned;
  if (!system) return { orphanedAssignments: [], detached: [] };
  lab.checkpoint(`Disable the system-assigned identity of ${resource.name}`);
  const sp = mutable(lab).directory.remove(system.principalId);
  const orphanedAssignments = lab.assignments.forPrincipal(system.principalId).map(a => a.state);
  resource.identity = { userAssigned: resource.identity?.userAssigned ?? [] };
  if (resource.identity.userAssigned.length === 0) delete resource.identity;
  lab.notify('identities');
  return { ...(sp ? { deletedPrincipal: { objectId: sp.objectId, displayName: sp.displayName } } : {}), orphanedAssignments, detached: [] };
}

/** Attaches user-assigned identities (each needs the linked `assign/action`). */
export function assignUserIdentities(lab: Lab, caller: Caller, resourceId: string, identityIds: readonly string[]): AttachedUserIdentity[] {
  const resource = requireHost(lab, resourceId);
  const info = typeInfo(resource);
  if (!info) throw unsupported(info, resource.type, 'user-assigned');
  authorize(lab, caller, `${resource.type}/write`, resource.id);
  validateIdentityRequest(lab, caller, info, resource.id, { userAssigned: identityIds });
  applyIdentityRequest(lab, resource, { userAssigned: identityIds });
  lab.notify('identities');
  return resource.identity?.userAssigned ?? [];
}

/** Detaches user-assigned identities; the identities themselves live on. */
export function removeUserIdentities(lab: Lab, caller: Caller, resourceId: string, identityIds: readonly string[]): IdentityRemoval {
  const resource = requireHost(lab, resourceId);
  authorize(lab, caller, `${resource.type}/write`, resource.id);
  const attached = resource.identity?.userAssigned ?? [];
  for (const id of identityIds) {
    if (!attached.some(u => sameId(u.resourceId, id))) {
      throw new LabError('InvalidArgument', `The identity '${id}' is not assigned to '${resource.name}'.`, 400, 'identities');
    }
  }
  const remove = new Set(identityIds.map(idKey));
  resource.identity = {
    ...(resource.identity?.systemAssigned ? { systemAssigned: resource.identity.systemAssigned } : {}),
    userAssigned: attached.filter(u => !remove.has(idKey(u.resourceId))),
  };
  if (!resource.identity.systemAssigned && resource.identity.userAssigned.length === 0) delete resource.identity;
  lab.notify('identities');
  return { orphanedAssignments: [], detached: identityIds.map(String) };
}

/** The host resource to change (live: only the operations in this file change it). */
function requireHost(lab: Lab, resourceId: string): ResourceState {
  const parsed = parseResourceId(resourceId);
  const resource = parsed.kind === 'resource' ? mutable(lab).arm.resource(resourceId) : undefined;
  if (!resource) throw new LabError('ResourceNotFound', resourceNotFound(parsed), 404, 'id');
  return resource;
}

export type ArmIdentityType = 'SystemAssigned' | 'UserAssigned' | 'SystemAssigned, UserAssigned' | 'None';

export interface ArmIdentity {
  type: ArmIdentityType;
  principalId?: string;
  tenantId?: string;
  userAssignedIdentities?: Record<string, { principalId: string; clientId: string }>;
}

/**
 * A resource's `identity` in ARM's shape (common-types ManagedServiceIdentity). The combined
 * type is spelled with a space, as Compute and the CLI print it ("SystemAssigned, UserAssigned").
 * `principalId`/`tenantId` appear only with a system-assigned identity.
 */
export function armIdentity(lab: Lab, resource: ReadonlyResource): ArmIdentity | undefined {
  const identity = resource.identity;
  if (!identity || (!identity.systemAssigned && identity.userAssigned.length === 0)) return undefined;
  const system = identity.systemAssigned;
  const users = identity.userAssigned;
  const type: ArmIdentityType = system && users.length ? 'SystemAssigned, UserAssigned' : system ? 'SystemAssigned' : 'UserAssigned';
  const out: ArmIdentity = system ? { principalId: system.principalId, tenantId: lab.tenantId, type } : { type };
  if (users.length) {
    out.userAssignedIdentities = Object.fromEntries(users.map(u => [u.resourceId, { clientId: u.clientId, principalId: u.principalId }]));
  }
  return out;
}

/** ARM accepts any casing and spacing of the identity type ("SystemAssigned,UserAssigned", "userAssigned", "none"). */
export function parseIdentityType(text: string): { systemAssigned: boolean; userAssigned: boolean } | undefined {
  const parts = text
    .split(',')
    .map(p => p.trim().toLowerCase())
    .filter(Boolean);
  if (parts.length === 1 && parts[0] === 'none') return { systemAssigned: false, userAssigned: false };
  if (parts.length === 0 || parts.some(p => p !== 'systemassigned' && p !== 'userassigned')) return undefined;
  return { systemAssigned: parts.includes('systemassigned'), userAssigned: parts.includes('userassigned') };
}

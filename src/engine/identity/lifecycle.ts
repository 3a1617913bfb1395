// Managed-identity lifecycles, as Azure runs them. Enabling a system-assigned identity
// creates a service principal named after its resource; disabling it (or deleting the
// resource) deletes that principal, and a later enable creates a new one with a new id.
import type { Lab } from '../lab';
import { newGuid } from '../ids';
import type { ResourceState, ServicePrincipalState } from '../model/state';

export function createManagedIdentityPrincipal(lab: Lab, displayName: string, resourceId: string, explicit: boolean): ServicePrincipalState {
  const sp: ServicePrincipalState = {
    objectId: newGuid(),
    appId: newGuid(),
    displayName,
    servicePrincipalType: 'ManagedIdentity',
    alternativeNames: [`isExplicit=${explicit ? 'True' : 'False'}`, resourceId],
    createdAt: lab.clock.now(),
  };
  lab.directory.add(sp);
  return sp;
}

/** Turns the system-assigned identity on (a no-op when it already is), returning its ids. */
export function enableSystemAssigned(lab: Lab, resource: ResourceState): { principalId: string; clientId: string } {
  const existing = resource.identity?.systemAssigned;
  if (existing) return existing;
  const sp = createManagedIdentityPrincipal(lab, resource.name, resource.id, false);
  const ids = { principalId: sp.objectId, clientId: sp.appId };
  resource.identity = { userAssigned: resource.identity?.userAssigned ?? [], systemAssigned: ids };
  return ids;
}

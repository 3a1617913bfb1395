// What a list shows its caller — the one rule every list in the lab follows (ARM's collection
// GETs, `az … list`, the SDKs' `list()` calls): a list never fails for want of access to the
// whole scope; it answers with the items the caller may read, each checked at its own id
// (assignments there or above count, as for a GET of that item). A subscription is listed to
// anyone holding a role anywhere in it — that is how `az login` finds where a principal may
// work, and why an identity with no role at all gets "No access was configured for the VM,
// hence no subscriptions were found" (azure-cli core/_profile.py: GET /subscriptions came back
// empty) instead of a subscription. A list at a scope the caller has no foothold in is ARM's
// 403 for reading that scope (the AuthorizationFailed a principal with no role gets from
// `az group list`).
// Sources: the azure-cli message above; "To call the API, you must have access to the
// Microsoft.Authorization/roleAssignments/read operation at the specified scope" (Azure REST
// docs, role-assignment-rest-sample). That a group list with Reader on one group returns that
// group (not a 403) is Azure's observed behaviour (reported in issue 13); no Microsoft page
// found in this work states the per-item filtering outright.
import type { Lab } from './lab';
import { authorize, type Caller } from './authorization';
import type { ResourceGroupState, ReadonlyResource, ReadonlySubscription } from '../state/labState';
import { idKey, parseResourceId, resourceGroupId } from '../azure/resourceId';
import { resourceTypeOf } from '../azure/resourceTypes';

const GROUP_READ = 'Microsoft.Resources/subscriptions/resourceGroups/read';

/** Whether the caller may read this one item (a resource, a group), as its GET would decide. */
function mayRead(lab: Lab, caller: Caller, action: string, id: string): boolean {
  return caller.kind === 'lab' || lab.access.isAllowed(caller.objectId, action, id, 'control');
}

/** Subscriptions the caller holds any role in (at the subscription, or on anything inside it). */
export function visibleSubscriptions(lab: Lab, caller: Caller): readonly ReadonlySubscription[] {
  if (caller.kind === 'lab') return lab.arm.subscriptions;
  const held = lab.assignments.forPrincipal(caller.objectId);
  return lab.arm.subscriptions.filter(s => {
    const prefix = `/subscriptions/${s.subscriptionId.toLowerCase()}`;
    return held.some(a => a.scopeKey === prefix || a.scopeKey.startsWith(`${prefix}/`) || a.scopeKey === '/');
  });
}

/** The resource groups of a subscription the caller may read. */
export function readableGroups(lab: Lab, caller: Caller, subscriptionId: string): ResourceGroupState[] {
  return lab.arm.groupsIn(subscriptionId).filter(g => mayRead(lab, caller, GROUP_READ, resourceGroupId(g.subscriptionId, g.name)));
}

/** What a resource list may be narrowed to: ARM's `$filter` fields and `az resource list`'s options. */
export interface ResourceQuery {
  subscriptionId: string;
  resourceGroup?: string;
  /** An ARM type (`Microsoft.KeyVault/vaults`), compared case-insensitively. */
  type?: string;
  /** A lab type key (`functionapp`), for types that share an ARM type and differ by kind. */
  typeKey?: string;
  name?: string;
  /** Part of the name (`substringof`). */
  nameContains?: string;
  location?: string;
  tagName?: string;
  /** Only with tagName. */
  tagValue?: string;
}

function matches(resource: ReadonlyResource, query: ResourceQuery): boolean {
  if (query.type && resource.type.toLowerCase() !== query.type.toLowerCase()) return false;
  if (query.typeKey) {
    const info = resourceTypeOf(resource.type, resource.kind);
    if (info?.key !== query.typeKey) return false;
  }
  const name = resource.name.split('/').pop() ?? resource.name;
  if (query.name !== undefined && name.toLowerCase() !== query.name.toLowerCase()) return false;
  if (query.nameContains !== undefined && !name.toLowerCase().includes(query.nameContains.toLowerCase())) return false;
  if (query.location !== undefined && resource.location.toLowerCase() !== query.location.toLowerCase()) return false;
  if (query.tagName !== undefined) {
    const key = Object.keys(resource.tags).find(k => k.toLowerCase() === query.tagName!.toLowerCase());
    if (key === undefined) return false;
    if (query.tagValue !== undefined && resource.tags[key] !== query.tagValue) return false;
  }
  return true;
}

/** The resources a list returns: in the subscription (or one group), matching the query, each readable by the caller. Creation order. */
export function readableResources(lab: Lab, caller: Caller, query: ResourceQuery): ReadonlyResource[] {
  const subscription = query.subscriptionId.toLowerCase();
  const candidates =
    query.resourceGroup !== undefined
      ? lab.arm.resourcesIn(query.subscriptionId, query.resourceGroup)
      : lab.arm.resources.filter(r => parseResourceId(r.id).subscriptionId?.toLowerCase() === subscription);
  return candidates.filter(r => matches(r, query) && mayRead(lab, caller, `${r.type}/read`, r.id));
}

/**
 * A list at a scope the caller has nothing in (no read there, no role at or under it) is ARM's
 * 403 for reading that scope — the error a principal with no role gets from `az group list`.
 * Anyone with a foothold inside gets the list, filtered.
 */
export function requireListScope(lab: Lab, caller: Caller, scopeId: string, readAction: string): void {
  if (caller.kind === 'lab' || mayRead(lab, caller, readAction, scopeId)) return;
  const key = idKey(scopeId);
  if (lab.assignments.forPrincipal(caller.objectId).some(a => a.scopeKey.startsWith(`${key}/`))) return;
  authorize(lab, caller, readAction, scopeId);
}

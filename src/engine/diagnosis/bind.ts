// Binding what a text or trace names to the lab: object and client ids to principals (in the
// lab's words — "vm-web's system-assigned identity"), names and ARM ids to resources, a
// principal to the compute resources it belongs to. Reads only.
import type { Lab } from '../lab/lab';
import type { ReadonlyResource } from '../state/labState';
import { managedIdentityResourceId } from '../state/directory';
import { resourceTypeOf } from '../azure/resourceTypes';
import { tryParseResourceId } from '../azure/resourceId';
import { isGuid } from '../base/ids';
import { isPlaceholder } from './readText';

export interface LabPrincipal {
  objectId: string;
  clientId?: string;
  displayName: string;
  /** In the lab's words: "vm-web's system-assigned identity", "user-assigned identity id-app", "the learner (…)". */
  words: string;
  type: 'ServicePrincipal' | 'User';
  /** For managed identities: the resource they are (user-assigned) or belong to (system-assigned). */
  resourceId?: string;
}

/** The principal an object id or client id names, if the lab has it. */
export function principalInLab(
  lab: Lab,
  ids: { principalId?: string | undefined; clientId?: string | undefined },
): LabPrincipal | undefined {
  for (const id of [ids.principalId, ids.clientId]) {
    if (!id || !isGuid(id)) continue;
    const byObject = lab.directory.principal(id);
    if (byObject) return describePrincipal(lab, byObject.objectId);
    const byClient = lab.directory.byClientId(id);
    if (byClient) return describePrincipal(lab, byClient.objectId);
  }
  return undefined;
}

export function describePrincipal(lab: Lab, objectId: string): LabPrincipal | undefined {
  const principal = lab.directory.principal(objectId);
  if (!principal) return undefined;
  if (principal.kind === 'User') {
    return {
      objectId: principal.objectId,
      displayName: principal.displayName,
      words: `the learner (${principal.userPrincipalName})`,
      type: 'User',
    };
  }
  const sp = principal.servicePrincipal;
  const base = { objectId: sp.objectId, clientId: sp.appId, displayName: sp.displayName, type: 'ServicePrincipal' as const };
  const resourceId = managedIdentityResourceId(sp);
  if (!resourceId) return { ...base, words: `the app ${sp.displayName}` };
  const resource = lab.arm.resource(resourceId);
  const isUserAssigned = resourceTypeOf(resource?.type ?? tryParseResourceId(resourceId)?.type ?? '')?.key === 'identity';
  return {
    ...base,
    resourceId,
    words: isUserAssigned ? `user-assigned identity ${sp.displayName}` : `${resource?.name ?? sp.displayName}'s system-assigned identity`,
  };
}

/** The compute resources a principal acts for: its own host (system-assigned) or every host it is attached to (user-assigned). */
export function hostsOf(lab: Lab, objectId: string): ReadonlyResource[] {
  const key = objectId.toLowerCase();
  return lab.arm.resources.filter(
    r =>
      r.identity?.systemAssigned?.principalId.toLowerCase() === key ||
      (r.identity?.userAssigned ?? []).some(u => u.principalId.toLowerCase() === key),
  );
}

const byTypeAndName = (lab: Lab, key: string, name: string) =>
  lab.arm.resources.find(r => resourceTypeOf(r.type, r.kind)?.key === key && r.name.toLowerCase() === name.toLowerCase());

export const vaultInLab = (lab: Lab, name: string) => byTypeAndName(lab, 'keyvault', name);
export const storageInLab = (lab: Lab, name: string) => byTypeAndName(lab, 'storage', name);
export const sqlServerInLab = (lab: Lab, name: string) => byTypeAndName(lab, 'sqlserver', name);

/** The resource an ARM id names (or the resource that contains it: a secret's vault), with its real id. */
export function resourceInLab(lab: Lab, id: string): ReadonlyResource | undefined {
  const parsed = tryParseResourceId(id);
  if (!parsed || parsed.kind !== 'resource') return undefined;
  return lab.arm.resource(parsed.id) ?? lab.arm.resource(parsed.id.split('/').slice(0, 9).join('/'));
}

/** A scope from a text, spelled as the lab spells it (texts lower-case ids; the lab keeps their casing). */
export function labScope(lab: Lab, scope: string): string | undefined {
  const parsed = tryParseResourceId(scope);
  if (!parsed) return undefined;
  if (parsed.kind === 'subscription') {
    return lab.arm.subscription(parsed.subscriptionId!)
      ? `/subscriptions/${lab.arm.subscription(parsed.subscriptionId!)!.subscriptionId}`
      : undefined;
  }
  if (parsed.kind === 'resourceGroup') {
    const group = lab.arm.group(parsed.subscriptionId!, parsed.resourceGroup!);
    return group ? `/subscriptions/${group.subscriptionId}/resourceGroups/${group.name}` : undefined;
  }
  if (parsed.kind !== 'resource') return undefined;
  const exact = lab.arm.resource(parsed.id);
  if (exact) return exact.id;
  const top = lab.arm.resource(parsed.id.split('/').slice(0, 9).join('/'));
  return top ? `${top.id}${parsed.id.slice(top.id.length)}` : undefined;
}

/** A value is usable as an id when it is a GUID the text did not redact. */
export const usableId = (value: string | undefined): value is string => !!value && isGuid(value) && !isPlaceholder(value);

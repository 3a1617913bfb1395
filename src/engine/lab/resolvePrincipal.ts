// Finding a principal the ways people name one: object id, client (app) id, user principal
// name, display name, or the ARM id of the resource a managed identity belongs to.
import type { Lab } from './lab';
import type { ReadonlyPrincipal as Principal } from '../state/directory';
import { isGuid } from '../base/ids';

export type PrincipalResolution =
  | { kind: 'found'; principal: Principal; matchedBy: 'objectId' | 'clientId' | 'userPrincipalName' | 'displayName' | 'resourceId' }
  | { kind: 'none' }
  | { kind: 'ambiguous'; matches: Principal[] };

const toPrincipal = (lab: Lab, objectId: string): Principal => lab.directory.principal(objectId)!;

export function resolvePrincipal(lab: Lab, text: string): PrincipalResolution {
  const value = text.trim();
  const directory = lab.directory;
  if (isGuid(value)) {
    const byObject = directory.principal(value);
    if (byObject) return { kind: 'found', principal: byObject, matchedBy: 'objectId' };
    const byClient = directory.byClientId(value);
    if (byClient) return { kind: 'found', principal: toPrincipal(lab, byClient.objectId), matchedBy: 'clientId' };
    return { kind: 'none' };
  }
  if (value.startsWith('/')) {
    const sp = directory.byManagedIdentityResource(value);
    return sp ? { kind: 'found', principal: toPrincipal(lab, sp.objectId), matchedBy: 'resourceId' } : { kind: 'none' };
  }
  if (value.toLowerCase() === directory.user.userPrincipalName.toLowerCase()) {
    return { kind: 'found', principal: toPrincipal(lab, directory.user.objectId), matchedBy: 'userPrincipalName' };
  }
  const named = directory.byDisplayName(value).map(sp => toPrincipal(lab, sp.objectId));
  if (directory.user.displayName.toLowerCase() === value.toLowerCase()) named.push(toPrincipal(lab, directory.user.objectId));
  if (named.length === 1) return { kind: 'found', principal: named[0]!, matchedBy: 'displayName' };
  return named.length > 1 ? { kind: 'ambiguous', matches: named } : { kind: 'none' };
}

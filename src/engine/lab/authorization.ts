// Who is acting, and whether they may. The learner's own actions (from `az`, the tree or
// the palette) are authorized against RBAC like anyone else's; `LAB` is the lab itself
// (building a scenario), which is never checked.
import type { Lab } from './lab';
import { LabError } from '../base/errors';
import type { Decision } from '../state/accessDecisions';
import { authorizationFailed, linkedAuthorizationFailed } from './messages';

/**
 * A principal acting with a token carries the token's groups (frozen when it was issued); one
 * acting in-process (the learner's `az`) has none given, and its groups come from the directory.
 */
export type Caller = { kind: 'lab' } | { kind: 'principal'; objectId: string; groupIds?: readonly string[] };

export const LAB_CALLER: Caller = { kind: 'lab' };

export const asPrincipal = (objectId: string, groupIds?: readonly string[]): Caller =>
  groupIds ? { kind: 'principal', objectId, groupIds } : { kind: 'principal', objectId };

/** The groups a decision counts for a caller. */
export const groupsOf = (lab: Lab, caller: { objectId: string; groupIds?: readonly string[] }): readonly string[] =>
  caller.groupIds ?? lab.directory.memberOf(caller.objectId);

/** How ARM names a caller in its errors: the UPN for a user, the app id for a service principal. */
export function callerName(lab: Lab, objectId: string): string {
  const principal = lab.directory.principal(objectId);
  if (!principal) return objectId;
  return principal.kind === 'User' ? principal.userPrincipalName : principal.servicePrincipal.appId;
}

/** Throws ARM's 403 `AuthorizationFailed` unless the caller may perform `action` over `scope`. */
export function authorize(lab: Lab, caller: Caller, action: string, scope: string): void {
  if (caller.kind === 'lab') return;
  const groupIds = groupsOf(lab, caller);
  if (lab.access.isAllowed(caller.objectId, action, scope, 'control', groupIds)) return;
  const decision: Decision = lab.access.decide({ principalId: caller.objectId, action, scope, plane: 'control', groupIds });
  throw new LabError(
    'AuthorizationFailed',
    authorizationFailed(callerName(lab, caller.objectId), caller.objectId, action, scope),
    403,
    undefined,
    decision,
  );
}

/** ARM's 403 for the second permission a write needs on another resource (assigning a user-assigned identity). */
export function authorizeLinked(
  lab: Lab,
  caller: Caller,
  primary: { action: string; scope: string },
  linked: { action: string; scope: string },
): void {
  if (caller.kind === 'lab') return;
  const groupIds = groupsOf(lab, caller);
  if (lab.access.isAllowed(caller.objectId, linked.action, linked.scope, 'control', groupIds)) return;
  const decision = lab.access.decide({
    principalId: caller.objectId,
    action: linked.action,
    scope: linked.scope,
    plane: 'control',
    groupIds,
  });
  throw new LabError(
    'LinkedAuthorizationFailed',
    linkedAuthorizationFailed(callerName(lab, caller.objectId), caller.objectId, primary, linked),
    403,
    undefined,
    decision,
  );
}

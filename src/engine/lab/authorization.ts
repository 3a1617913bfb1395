// Who is acting, and whether they may. The learner's own actions (from `az`, the tree or
// the palette) are authorized against RBAC like anyone else's; `LAB` is the lab itself
// (building a scenario), which is never checked.
import type { Lab } from './lab';
import { LabError } from '../base/errors';
import type { Decision } from '../state/accessDecisions';
import { authorizationFailed, linkedAuthorizationFailed } from './messages';

export type Caller = { kind: 'lab' } | { kind: 'principal'; objectId: string };

export const LAB_CALLER: Caller = { kind: 'lab' };

export const asPrincipal = (objectId: string): Caller => ({ kind: 'principal', objectId });

/** How ARM names a caller in its errors: the UPN for a user, the app id for a service principal. */
export function callerName(lab: Lab, objectId: string): string {
  const principal = lab.directory.principal(objectId);
  if (!principal) return objectId;
  return principal.kind === 'User' ? principal.userPrincipalName : principal.servicePrincipal.appId;
}

/** Throws ARM's 403 `AuthorizationFailed` unless the caller may perform `action` over `scope`. */
export function authorize(lab: Lab, caller: Caller, action: string, scope: string): void {
  if (caller.kind === 'lab') return;
  if (lab.access.isAllowed(caller.objectId, action, scope, 'control')) return;
  const decision: Decision = lab.access.decide({ principalId: caller.objectId, action, scope, plane: 'control' });
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
  if (lab.access.isAllowed(caller.objectId, linked.action, linked.scope, 'control')) return;
  const decision = lab.access.decide({ principalId: caller.objectId, action: linked.action, scope: linked.scope, plane: 'control' });
  throw new LabError(
    'LinkedAuthorizationFailed',
    linkedAuthorizationFailed(callerName(lab, caller.objectId), caller.objectId, primary, linked),
    403,
    undefined,
    decision,
  );
}

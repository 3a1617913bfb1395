// Who is acting, and whether they may. The learner's own actions (from `az`, the tree or
// the palette) are authorized against RBAC like anyone else's; `LAB` is the lab itself
// (building a scenario), which is never checked.
import type { Lab } from './lab';
import { LabError } from '../base/errors';
import type { Decision } from '../state/accessDecisions';
import { authorizationFailed, linkedAuthorizationFailed } from './messages';
import type { AuthorizationNote } from '../trace/model';

/**
 * Who acts. A principal acting with a token carries the token's groups (frozen when it was
 * issued); one acting in-process (the learner's `az`) has none given, and its groups come from
 * the directory. A principal may carry `checks`: then every access check made for it is noted
 * there (allowed or not), so an endpoint can put them in its trace (least privilege reads them).
 */
export type Caller = { kind: 'lab' } | { kind: 'principal'; objectId: string; groupIds?: readonly string[]; checks?: AuthorizationNote[] };

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

/** A decision as a trace shows it (group names from the lab's directory). */
export function authorizationNote(decision: Decision, lab?: Lab): AuthorizationNote {
  const via = (group: string | undefined) =>
    group ? ` (through group ${lab?.directory.group(group)?.displayName ?? group}, as the token says)` : '';
  const reasons = decision.allowed
    ? decision.grants.map(
        g =>
          `${g.roleName} at ${g.scope}${g.inherited ? ' (inherited)' : ''}${via(g.viaGroup)}` +
          (g.removedButInEffectUntil ? ' — deleted, but its removal has not propagated yet' : ''),
      )
    : [
        ...decision.considered.map(c => `${c.roleName} at ${c.scope}${via(c.viaGroup)}: ${c.reason}`),
        ...(decision.suggestion ? [`would be granted by '${decision.suggestion.roleName}' at ${decision.suggestion.scope}`] : []),
      ];
  return {
    allowed: decision.allowed,
    action: decision.action,
    scope: decision.scope,
    reasons: reasons.length ? reasons : ['the principal has no role assignments'],
    principalId: decision.principalId,
    plane: decision.plane,
  };
}

/** Notes an allowed control-plane check for a caller that keeps them (the decision is only worked out then). */
function noteAllowed(lab: Lab, caller: Caller, action: string, scope: string, groupIds: readonly string[]): void {
  if (caller.kind === 'principal' && caller.checks) {
    caller.checks.push(
      authorizationNote(lab.access.decide({ principalId: caller.objectId, action, scope, plane: 'control', groupIds }), lab),
    );
  }
}

function noteDenied(lab: Lab, caller: Caller, decision: Decision): void {
  if (caller.kind === 'principal' && caller.checks) caller.checks.push(authorizationNote(decision, lab));
}

/** Throws ARM's 403 `AuthorizationFailed` unless the caller may perform `action` over `scope`. */
export function authorize(lab: Lab, caller: Caller, action: string, scope: string): void {
  if (caller.kind === 'lab') return;
  const groupIds = groupsOf(lab, caller);
  if (lab.access.isAllowed(caller.objectId, action, scope, 'control', groupIds)) return noteAllowed(lab, caller, action, scope, groupIds);
  const decision: Decision = lab.access.decide({ principalId: caller.objectId, action, scope, plane: 'control', groupIds });
  noteDenied(lab, caller, decision);
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
  if (lab.access.isAllowed(caller.objectId, linked.action, linked.scope, 'control', groupIds)) {
    return noteAllowed(lab, caller, linked.action, linked.scope, groupIds);
  }
  const decision = lab.access.decide({
    principalId: caller.objectId,
    action: linked.action,
    scope: linked.scope,
    plane: 'control',
    groupIds,
  });
  noteDenied(lab, caller, decision);
  throw new LabError(
    'LinkedAuthorizationFailed',
    linkedAuthorizationFailed(callerName(lab, caller.objectId), caller.objectId, primary, linked),
    403,
    undefined,
    decision,
  );
}

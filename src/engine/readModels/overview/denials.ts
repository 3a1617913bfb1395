// What a principal was last denied, read from the lab's traces, and the roles to offer when
// assigning it one: the least-privileged built-in role that would grant that denied action
// first, then every other role.
import type { Lab } from '../../lab/lab';
import type { Trace, TraceMessage } from '../../trace/model';
import type { RoleDefinition } from '../../state/roleDefinitions';
import { fromBase64 } from '../../base/encoding';
import { knownOperation } from '../../azure/actions';

export interface Denial {
  principalId: string;
  action: string;
  scope: string;
  traceId: string;
  traceTitle: string;
}

export interface Recommendation {
  role: RoleDefinition;
  scope: string;
  denial: Denial;
}

/** The `oid` in the (signature-redacted) bearer token a traced request carried. */
function bearerOid(message: TraceMessage): string | undefined {
  const header = message.http?.requestHeaders['authorization'] ?? message.http?.requestHeaders['Authorization'];
  const payload = header ? /^Bearer\s+[\w-]+\.([\w-]+)\./i.exec(header)?.[1] : undefined;
  const bytes = payload ? fromBase64(payload) : undefined;
  if (!bytes) return undefined;
  try {
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    return typeof claims['oid'] === 'string' ? claims['oid'] : undefined;
  } catch {
    return undefined;
  }
}

/** Principals a traced denial may belong to: the bearer token's, else the identities of the host the app ran on. */
function deniedPrincipals(lab: Lab, trace: Trace, message: TraceMessage): string[] {
  const oid = bearerOid(message);
  if (oid) return [oid];
  const host = trace.hostResourceId ? lab.arm.resource(trace.hostResourceId) : undefined;
  return [host?.identity?.systemAssigned?.principalId, ...(host?.identity?.userAssigned ?? []).map(u => u.principalId)].filter(
    (p): p is string => !!p,
  );
}

/** The newest RBAC denial recorded for this principal, if any. */
export function lastDenial(lab: Lab, principalId: string): Denial | undefined {
  const wanted = principalId.toLowerCase();
  const traces = lab.traces.all;
  for (let t = traces.length - 1; t >= 0; t--) {
    const trace = traces[t]!;
    for (let m = trace.messages.length - 1; m >= 0; m--) {
      const message = trace.messages[m]!;
      const decision = message.authorization;
      // Access-policy decisions name no RBAC action: no role would change them.
      if (!decision || decision.allowed || !knownOperation(decision.action)) continue;
      if (deniedPrincipals(lab, trace, message).some(p => p.toLowerCase() === wanted)) {
        return { principalId, action: decision.action, scope: decision.scope, traceId: trace.id, traceTitle: trace.title };
      }
    }
  }
  return undefined;
}

/** The least-privileged built-in role that would grant what the principal was last denied, if it still is. */
export function recommendRole(lab: Lab, principalId: string): Recommendation | undefined {
  const denial = lastDenial(lab, principalId);
  if (!denial) return undefined;
  const decision = lab.access.decide({
    principalId,
    action: denial.action,
    scope: denial.scope,
    groupIds: lab.directory.memberOf(principalId),
  });
  if (decision.allowed || !decision.suggestion) return undefined;
  const role = lab.roles.get(decision.suggestion.roleDefinition);
  return role ? { role, scope: decision.suggestion.scope, denial } : undefined;
}

/** Roles to offer for an assignment: the recommendation first, then built-in roles, then custom ones, by name. */
export function roleChoices(lab: Lab, principalId?: string): { roles: RoleDefinition[]; recommendation?: Recommendation } {
  const recommendation = principalId ? recommendRole(lab, principalId) : undefined;
  const rest = lab.roles.all
    .filter(r => r.name !== recommendation?.role.name)
    .sort((a, b) => (a.roleType === b.roleType ? a.roleName.localeCompare(b.roleName) : a.roleType === 'BuiltInRole' ? -1 : 1));
  return recommendation ? { roles: [recommendation.role, ...rest], recommendation } : { roles: rest };
}

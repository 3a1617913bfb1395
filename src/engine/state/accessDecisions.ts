// Authorization decisions that explain themselves: allowed or denied, the assignments that
// granted (and from which scope they were inherited), or, for a denial, what was looked at
// and why nothing matched, plus the least-privileged built-in role that would grant it.
import { parseResourceId } from '../azure/resourceId';
import type { Plane } from '../azure/permissions';
import { evaluatePermissions } from '../azure/permissions';
import { rankForAction } from '../azure/leastPrivilege';
import { appliesAt, type ReadonlyRoleAssignments } from './roleAssignments';
import type { ReadonlyRoleDefinitions, RoleDefinition } from './roleDefinitions';
import { planeOf } from '../azure/actions';

export interface Grant {
  assignment: string;
  roleName: string;
  roleDefinition: string;
  /** Scope of the assignment. */
  scope: string;
  /** True when the assignment is above the requested scope (inherited down the hierarchy). */
  inherited: boolean;
  /** The permission pattern that matched. */
  grantedBy: string;
}

export interface Consideration {
  assignment: string;
  roleName: string;
  scope: string;
  reason: string;
}

export interface Suggestion {
  roleName: string;
  roleDefinition: string;
  scope: string;
}

export interface Decision {
  allowed: boolean;
  principalId: string;
  action: string;
  plane: Plane;
  scope: string;
  grants: Grant[];
  /** Assignments of this principal that did not grant, each with why. */
  considered: Consideration[];
  /** For denials: the least-privileged built-in role that would grant, and where. */
  suggestion?: Suggestion;
  /** One sentence for people. */
  summary: string;
}

export interface DecideRequest {
  principalId: string;
  action: string;
  scope: string;
  /** Defaults to the action's known plane (data for data actions). */
  plane?: Plane;
}

export class AccessDecider {
  /** Verdicts per (plane + action) then role GUID: the hot path computes its key once per decision. */
  private readonly verdicts = new Map<string, Map<string, ReturnType<typeof evaluatePermissions>>>();
  private readonly suggestions = new Map<string, RoleDefinition | null>();

  constructor(
    private readonly roles: ReadonlyRoleDefinitions,
    private readonly assignments: ReadonlyRoleAssignments,
  ) {}

  /** Drop cached role verdicts (after a custom role changed). */
  invalidate(): void {
    this.verdicts.clear();
    this.suggestions.clear();
  }

  private verdictsFor(action: string, plane: Plane): Map<string, ReturnType<typeof evaluatePermissions>> {
    const key = `${plane}|${action.toLowerCase()}`;
    let forAction = this.verdicts.get(key);
    if (!forAction) this.verdicts.set(key, (forAction = new Map()));
    return forAction;
  }

  private verdict(role: RoleDefinition, action: string, plane: Plane, cache = this.verdictsFor(action, plane)) {
    let verdict = cache.get(role.name);
    if (!verdict) cache.set(role.name, (verdict = evaluatePermissions(role.permissions, action, plane)));
    return verdict;
  }

  /** The hot path: only the principal's own assignments are looked at (indexed), never the whole list. */
  isAllowed(principalId: string, action: string, scope: string, plane: Plane = planeOf(action)): boolean {
    const candidates = this.assignments.forPrincipal(principalId);
    if (candidates.length === 0) return false;
    const target = scope.toLowerCase();
    const cache = this.verdictsFor(action, plane);
    for (const a of candidates) {
      if (!appliesAt(a, target)) continue;
      let verdict = cache.get(a.roleGuid);
      if (!verdict) {
        const role = this.roles.byGuid(a.roleGuid);
        if (!role) continue;
        cache.set(a.roleGuid, (verdict = evaluatePermissions(role.permissions, action, plane)));
      }
      if (verdict.granted) return true;
    }
    return false;
  }

  decide(request: DecideRequest): Decision {
    const scope = parseResourceId(request.scope).id;
    const plane = request.plane ?? planeOf(request.action);
    const grants: Grant[] = [];
    const considered: Consideration[] = [];
    const target = scope.toLowerCase();
    const cache = this.verdictsFor(request.action, plane);
    for (const a of this.assignments.forPrincipal(request.principalId)) {
      const role = this.roles.byGuid(a.roleGuid);
      const roleName = role?.roleName ?? `(deleted role ${a.roleGuid})`;
      const base = { assignment: a.state.name, roleName, scope: a.state.scope };
      if (!appliesAt(a, target)) {
        considered.push({ ...base, reason: `assigned at ${a.state.scope}, which does not contain ${scope}` });
        continue;
      }
      if (!role) {
        considered.push({ ...base, reason: 'its role definition no longer exists' });
        continue;
      }
      const verdict = this.verdict(role, request.action, plane, cache);
      if (verdict.granted) {
        grants.push({ ...base, roleDefinition: role.name, inherited: a.scopeKey !== target, grantedBy: verdict.grantedBy! });
      } else {
        considered.push({ ...base, reason: whyNot(role, request.action, plane, verdict.excludedBy) });
      }
    }
    const allowed = grants.length > 0;
    const decision: Decision = {
      allowed,
      principalId: request.principalId,
      action: request.action,
      plane,
      scope,
      grants,
      considered,
      summary: '',
    };
    if (!allowed) {
      const role = this.leastPrivileged(request.action, plane);
      if (role) decision.suggestion = { roleName: role.roleName, roleDefinition: role.name, scope: suggestedScope(scope) };
    }
    decision.summary = summarize(decision);
    return decision;
  }

  /** The built-in role granting the action with the least else besides (ranked in azure/leastPrivilege.ts), from the whole catalogue. */
  leastPrivileged(action: string, plane: Plane): RoleDefinition | undefined {
    const key = `${plane}|${action.toLowerCase()}`;
    if (!this.suggestions.has(key)) {
      const granting = this.roles.all.filter(r => r.roleType === 'BuiltInRole' && this.verdict(r, action, plane).granted);
      const candidates = rankForAction(granting, action, plane);
      this.suggestions.set(key, candidates[0] ?? null);
    }
    return this.suggestions.get(key) ?? undefined;
  }
}

function whyNot(role: RoleDefinition, action: string, plane: Plane, excludedBy: string | undefined): string {
  if (excludedBy) {
    return `${role.roleName}'s ${plane === 'data' ? 'NotDataActions' : 'NotActions'} entry '${excludedBy}' removes it from that role`;
  }
  const hasData = role.permissions.some(p => p.dataActions.length > 0);
  const hasControl = role.permissions.some(p => p.actions.length > 0);
  if (plane === 'data' && !hasData) {
    const grants = role.permissions
      .flatMap(p => p.actions)
      .slice(0, 3)
      .map(a => `'${a}'`)
      .join(', ');
    return `${role.roleName} grants ${grants || 'no actions'} but '${action}' is a data action, and ${role.roleName} has no dataActions`;
  }
  if (plane === 'control' && !hasControl) {
    return `${role.roleName} has only data actions, and '${action}' is a management (control-plane) action`;
  }
  return `${role.roleName} does not include '${action}'`;
}

/** Suggest assigning at the resource itself when the target is inside one (a secret → its vault). */
export function suggestedScope(scope: string): string {
  const parsed = parseResourceId(scope);
  if (parsed.kind === 'resource' && parsed.names.length > 1) return scope.split('/').slice(0, 9).join('/');
  return scope;
}

function summarize(d: Decision): string {
  if (d.allowed) {
    const g = d.grants[0]!;
    return `Allowed: '${g.roleName}' ${g.inherited ? `assigned at ${g.scope} (inherited)` : 'assigned at this scope'} grants ${d.action}.`;
  }
  const why =
    d.considered.length === 0 ? 'the principal has no role assignments' : `none of its ${d.considered.length} role assignment(s) grant it`;
  const fix = d.suggestion ? ` The least-privileged built-in role that would: '${d.suggestion.roleName}' at ${d.suggestion.scope}.` : '';
  return `Denied: ${why}.${fix}`;
}

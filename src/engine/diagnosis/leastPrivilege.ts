// Least privilege from what happened: from a principal's traces — its allowed and denied
// requests, control and data actions — the smallest set of built-in role assignments at the
// narrowest scopes that covers what it needed, and its assignments that are broader than what it
// used (IAM policy generation from activity, as cloud tools offer for AWS). The proposal is
// checked on a copy of the principal's assignments before it is offered.
import type { Lab } from '../lab/lab';
import type { RoleAssignmentState } from '../state/labState';
import type { Plane } from '../azure/permissions';
import { evaluatePermissions } from '../azure/permissions';
import { rankForAction } from '../azure/leastPrivilege';
import { idKey, isAtOrAbove } from '../azure/resourceId';
import { AccessDecider } from '../state/accessDecisions';
import { RoleAssignmentStore } from '../state/roleAssignments';
import type { RoleDefinition } from '../state/roleDefinitions';
import { roleGuidOf } from '../state/roleDefinitions';
import type { AuthorizationNote } from '../trace/model';
import type { Fix } from './model';
import { describePrincipal, type LabPrincipal } from './bind';
import { resourceScope, scopeWords } from './fixes';
import { actionWords } from './context';

export interface UsedAccess {
  action: string;
  scope: string;
  plane: Plane;
  /** Whether it was allowed when it happened (denied requests count too: they are what it needed). */
  allowed: boolean;
  count: number;
}

export interface ProposedAssignment {
  roleName: string;
  roleDefinition: string;
  scope: string;
  /** The used actions it covers. */
  covers: string[];
  /** Already held exactly so: nothing to create. */
  held: boolean;
}

export interface BroadAssignment {
  assignment: RoleAssignmentState;
  roleName: string;
  /** Why it goes, in words. */
  reason: string;
}

export interface LeastPrivilegeReport {
  principal: LabPrincipal | undefined;
  principalId: string;
  used: UsedAccess[];
  propose: ProposedAssignment[];
  remove: BroadAssignment[];
  /** The proposal grants every used access, checked on a copy of the assignments. */
  verified: boolean;
  /** How many of the lab's kept traces were read (the window the proposal is based on). */
  tracesRead: number;
  summary: string;
  fixes: Fix[];
}

function notesOf(lab: Lab): { notes: AuthorizationNote[]; traces: number } {
  const notes: AuthorizationNote[] = [];
  const traces = lab.traces.all;
  for (const trace of traces) {
    for (const message of trace.messages) {
      for (const note of message.checks ?? (message.authorization ? [message.authorization] : [])) notes.push(note);
    }
  }
  return { notes, traces: traces.length };
}

/** What the principal did that Azure RBAC decided (access policies and SQL logins are not RBAC). */
export function usedAccess(lab: Lab, principalId: string): { used: UsedAccess[]; tracesRead: number } {
  const wanted = principalId.toLowerCase();
  const byKey = new Map<string, UsedAccess>();
  const { notes, traces } = notesOf(lab);
  for (const note of notes) {
    if (!note.plane || note.principalId?.toLowerCase() !== wanted) continue;
    const key = `${note.plane}|${note.action.toLowerCase()}|${idKey(note.scope)}`;
    const seen = byKey.get(key);
    if (seen) {
      seen.count++;
      seen.allowed ||= note.allowed;
    } else byKey.set(key, { action: note.action, scope: note.scope, plane: note.plane, allowed: note.allowed, count: 1 });
  }
  return { used: [...byKey.values()], tracesRead: traces };
}

const grants = (role: RoleDefinition, a: { action: string; plane: Plane }) =>
  evaluatePermissions(role.permissions, a.action, a.plane).granted;

/** The built-in role with the least besides that grants every one of `accesses`, ranked as the access decider ranks suggestions. */
function narrowestRole(lab: Lab, accesses: readonly UsedAccess[]): RoleDefinition | undefined {
  const first = accesses[0];
  if (!first) return undefined;
  const candidates = lab.roles.all.filter(r => r.roleType === 'BuiltInRole' && accesses.every(a => grants(r, a)));
  return rankForAction(candidates, first.action, first.plane)[0];
}

export function leastPrivilege(lab: Lab, principalId: string): LeastPrivilegeReport {
  const principal = describePrincipal(lab, principalId);
  const { used, tracesRead } = usedAccess(lab, principalId);
  const held = lab.assignments.forPrincipal(principalId).map(a => a.state);
  const who = principal?.words ?? principalId;
  if (used.length === 0) {
    return {
      principal,
      principalId,
      used,
      propose: [],
      remove: [],
      verified: false,
      tracesRead,
      summary:
        `The lab has recorded no requests by ${who} that Azure RBAC decided (in the ${tracesRead} traces it keeps): ` +
        `run its workload first, then ask again.`,
      fixes: [],
    };
  }
  // Group what was used by the resource it was used on (a secret → its vault), then find per
  // group the narrowest built-in role that covers all of it, splitting the group when none does.
  const groups = new Map<string, UsedAccess[]>();
  for (const u of used) {
    const scope = resourceScope(u.scope);
    groups.set(idKey(scope), [...(groups.get(idKey(scope)) ?? []), { ...u, scope: groups.get(idKey(scope))?.[0]?.scope ?? scope }]);
  }
  const propose: ProposedAssignment[] = [];
  for (const accesses of groups.values()) {
    const scope = resourceScope(accesses[0]!.scope);
    const role = narrowestRole(lab, accesses);
    const parts = role ? [{ role, accesses }] : accesses.map(a => ({ role: narrowestRole(lab, [a]), accesses: [a] }));
    for (const part of parts) {
      if (!part.role) continue;
      const existing = propose.find(p => p.roleDefinition === part.role!.name && idKey(p.scope) === idKey(scope));
      const covers = part.accesses.map(a => a.action);
      if (existing) existing.covers.push(...covers.filter(c => !existing.covers.includes(c)));
      else {
        const isHeld = held.some(a => roleGuidOf(a.roleDefinitionId) === part.role!.name && idKey(a.scope) === idKey(scope));
        propose.push({ roleName: part.role.roleName, roleDefinition: part.role.name, scope, covers, held: isHeld });
      }
    }
  }
  const keepNames = new Set(
    held
      .filter(a => propose.some(p => p.held && roleGuidOf(a.roleDefinitionId) === p.roleDefinition && idKey(a.scope) === idKey(p.scope)))
      .map(a => a.name),
  );
  const remove: BroadAssignment[] = held
    .filter(a => !keepNames.has(a.name))
    .map(a => ({
      assignment: a,
      roleName: lab.roles.get(a.roleDefinitionId)?.roleName ?? a.roleDefinitionId,
      reason: whyBroad(lab, a, used, propose),
    }));

  // Check the proposal on a copy: every used access must be allowed by what would be left.
  const after: RoleAssignmentState[] = [
    ...held.filter(a => keepNames.has(a.name)),
    ...propose
      .filter(p => !p.held)
      .map((p, i) => ({
        name: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        scope: p.scope,
        roleDefinitionId: p.roleDefinition,
        principalId,
        principalType: 'ServicePrincipal' as const,
        createdOn: 0,
        createdBy: '',
      })),
  ];
  const decider = new AccessDecider(lab.roles, new RoleAssignmentStore(after));
  const verified = used.every(u => decider.isAllowed(principalId, u.action, u.scope, u.plane));
  const principalType = principal?.type ?? 'ServicePrincipal';
  const fixes: Fix[] = [
    ...propose
      .filter(p => !p.held)
      .map(p => ({
        title: `Assign ${p.roleName} at ${scopeWords(lab, p.scope)} (covers ${p.covers.map(actionWords).join(', ')})`,
        action: { kind: 'createRoleAssignment' as const, principalId, principalType, role: p.roleName, scope: p.scope },
        runnable: true,
      })),
    ...remove.map(r => ({
      title: `Remove ${r.roleName} at ${scopeWords(lab, r.assignment.scope)}: ${r.reason}`,
      action: { kind: 'deleteRoleAssignment' as const, name: r.assignment.name, scope: r.assignment.scope, role: r.roleName, principalId },
      runnable: verified,
    })),
  ];
  const narrowest = propose.map(p => `${p.roleName} at ${scopeWords(lab, p.scope)}${p.held ? ' (held already)' : ''}`).join('; ');
  const secretScopes = used.filter(u => u.scope !== resourceScope(u.scope)).map(u => u.scope);
  return {
    principal,
    principalId,
    used,
    propose,
    remove,
    verified,
    tracesRead,
    summary: [
      `From ${used.reduce((n, u) => n + u.count, 0)} access decision(s) in the ${tracesRead} traces the lab ` +
        `keeps, ${who} needed: ${used.map(u => `${actionWords(u.action)} at ${scopeWords(lab, u.scope)}${u.allowed ? '' : ' (denied)'}`).join('; ')}.`,
      `The smallest set that covers it: ${narrowest}.`,
      secretScopes.length === 1 ? `Narrower still: the same role at the one item it used (${secretScopes[0]}).` : '',
      remove.length
        ? `Broader than what it used: ${remove.map(r => `${r.roleName} at ${scopeWords(lab, r.assignment.scope)}`).join('; ')}.`
        : 'It holds nothing broader than that.',
      verified
        ? 'Checked: with only these, every request it made is still allowed.'
        : 'Not every request it made would still be allowed: review before removing anything.',
    ]
      .filter(Boolean)
      .join(' '),
    fixes,
  };
}

function whyBroad(lab: Lab, a: RoleAssignmentState, used: readonly UsedAccess[], propose: readonly ProposedAssignment[]): string {
  const role = lab.roles.get(a.roleDefinitionId);
  if (!role) return 'its role definition no longer exists';
  const covered = used.filter(u => isAtOrAbove(a.scope, u.scope) && grants(role, u));
  const controlUsed = used.some(u => u.plane === 'control');
  if (covered.length === 0) {
    const hasControl = role.permissions.some(p => p.actions.length > 0);
    return !controlUsed && hasControl
      ? 'it never made a control-plane call, and this role grants none of what it did'
      : 'none of what it did needed it';
  }
  const narrower = propose.find(p => covered.every(u => isAtOrAbove(p.scope, u.scope)) && p.roleDefinition !== role.name);
  const wide = covered.some(u => idKey(resourceScope(u.scope)) !== idKey(a.scope));
  const where = wide ? `it is assigned at ${scopeWords(lab, a.scope)}, above what was used` : 'its role grants far more than what was used';
  return `${where}${narrower ? `; ${narrower.roleName} at ${scopeWords(lab, narrower.scope)} covers it` : ''}`;
}

// Every managed identity in the lab — system-assigned ones (on their resource) and
// user-assigned ones (resources of their own) — with what each is attached to and its role
// assignments; and the assignments whose principal is gone ("Identity not found").
import type { Lab } from '../../lab/lab';
import type { ReadonlyResource, ReadonlyRoleAssignment } from '../../state/labState';
import { idKey } from '../../azure/resourceId';
import { roleGuidOf } from '../../state/roleDefinitions';
import type { ScopeDescription } from './scopes';
import { describeScope } from './scopes';

export interface AssignmentOverview {
  assignment: ReadonlyRoleAssignment;
  roleName: string;
  scope: ScopeDescription;
}

export interface Attachment {
  resourceId: string;
  name: string;
}

export interface ManagedIdentityOverview {
  kind: 'SystemAssigned' | 'UserAssigned';
  /** The resource's name (system-assigned) or the identity's own name (user-assigned). */
  name: string;
  principalId: string;
  clientId: string;
  /** The resource a system-assigned identity belongs to, or the user-assigned identity resource. */
  resourceId: string;
  /** Where code can use it: the resource itself, or every resource a user-assigned identity is attached to. */
  attachedTo: Attachment[];
  assignments: AssignmentOverview[];
}

export interface OrphanedPrincipal {
  principalId: string;
  assignments: AssignmentOverview[];
}

export function assignmentOverview(lab: Lab, assignment: ReadonlyRoleAssignment): AssignmentOverview {
  const guid = roleGuidOf(assignment.roleDefinitionId) ?? assignment.roleDefinitionId;
  return { assignment, roleName: lab.roles.get(guid)?.roleName ?? `(deleted role ${guid})`, scope: describeScope(lab, assignment.scope) };
}

const assignmentsOf = (lab: Lab, principalId: string): AssignmentOverview[] =>
  lab.assignments.forPrincipal(principalId).map(a => assignmentOverview(lab, a.state));

/** The lab's managed identities: system-assigned first (by resource), then user-assigned (by name). */
export function listManagedIdentities(lab: Lab): ManagedIdentityOverview[] {
  const resources = lab.arm.resources;
  const usersOf = new Map<string, Attachment[]>();
  const system: ManagedIdentityOverview[] = [];
  for (const r of resources) {
    for (const u of r.identity?.userAssigned ?? []) {
      const key = idKey(u.resourceId);
      usersOf.set(key, [...(usersOf.get(key) ?? []), { resourceId: r.id, name: r.name }]);
    }
    const sa = r.identity?.systemAssigned;
    if (sa) {
      system.push({
        kind: 'SystemAssigned',
        name: r.name,
        principalId: sa.principalId,
        clientId: sa.clientId,
        resourceId: r.id,
        attachedTo: [{ resourceId: r.id, name: r.name }],
        assignments: assignmentsOf(lab, sa.principalId),
      });
    }
  }
  const user = resources
    .filter(
      (r): r is ReadonlyResource & { managedIdentity: NonNullable<ReadonlyResource['managedIdentity']> } => r.managedIdentity !== undefined,
    )
    .map((r): ManagedIdentityOverview => ({
      kind: 'UserAssigned',
      name: r.name,
      principalId: r.managedIdentity.principalId,
      clientId: r.managedIdentity.clientId,
      resourceId: r.id,
      attachedTo: usersOf.get(idKey(r.id)) ?? [],
      assignments: assignmentsOf(lab, r.managedIdentity.principalId),
    }));
  const byName = (a: ManagedIdentityOverview, b: ManagedIdentityOverview) => a.name.localeCompare(b.name);
  return [...system.sort(byName), ...user.sort(byName)];
}

/** Role assignments whose principal no longer exists, grouped by that principal id. */
export function orphanedAssignments(lab: Lab): OrphanedPrincipal[] {
  const byPrincipal = new Map<string, AssignmentOverview[]>();
  for (const a of lab.assignments.all) {
    if (lab.directory.principal(a.principalId) || lab.directory.group(a.principalId)) continue;
    const key = a.principalId.toLowerCase();
    byPrincipal.set(key, [...(byPrincipal.get(key) ?? []), assignmentOverview(lab, a)]);
  }
  return [...byPrincipal].map(([principalId, assignments]) => ({ principalId, assignments }));
}

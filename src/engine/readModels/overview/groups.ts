// The tenant's security groups as the Identities & Access view shows them: each group's direct
// members (with when they joined, in lab time), everyone who is in it through nested groups, its
// role assignments — and, for a managed identity, which groups it is in. A membership reaches a
// service only in tokens issued after it, which is why the join time is shown.
import type { Lab } from '../../lab/lab';
import { directoryObjectKind } from '../../operations/groups';
import { assignmentOverview, type AssignmentOverview } from './identities';
import { formatDuration } from '../../base/clock';

export interface GroupMemberOverview {
  objectId: string;
  name: string;
  kind: 'user' | 'servicePrincipal' | 'group' | 'unknown';
  /** Lab time the member joined, and how long ago that is. */
  addedAt: number;
  addedAgo: string;
}

export interface GroupOverview {
  objectId: string;
  displayName: string;
  description?: string;
  members: GroupMemberOverview[];
  /** Principals in the group through a nested group (not direct members). */
  nestedMembers: Array<{ objectId: string; name: string; through: string }>;
  assignments: AssignmentOverview[];
}

function nameOf(lab: Lab, objectId: string): string {
  return lab.directory.principal(objectId)?.displayName ?? lab.directory.group(objectId)?.displayName ?? objectId;
}

export function listGroups(lab: Lab): GroupOverview[] {
  const now = lab.clock.now();
  return lab.directory.groups
    .map(group => {
      const members = group.members.map(m => ({
        objectId: m.objectId,
        name: nameOf(lab, m.objectId),
        kind: directoryObjectKind(lab, m.objectId) ?? ('unknown' as const),
        addedAt: m.addedAt,
        addedAgo: formatDuration(Math.max(0, now - m.addedAt)),
      }));
      const nestedMembers: GroupOverview['nestedMembers'] = [];
      const visit = (groupId: string, through: string, seen: Set<string>) => {
        for (const m of lab.directory.group(groupId)?.members ?? []) {
          if (seen.has(m.objectId)) continue;
          seen.add(m.objectId);
          if (lab.directory.group(m.objectId)) visit(m.objectId, nameOf(lab, m.objectId), seen);
          else nestedMembers.push({ objectId: m.objectId, name: nameOf(lab, m.objectId), through });
        }
      };
      for (const m of group.members) {
        if (lab.directory.group(m.objectId)) visit(m.objectId, nameOf(lab, m.objectId), new Set([group.objectId]));
      }
      return {
        objectId: group.objectId,
        displayName: group.displayName,
        ...(group.description !== undefined ? { description: group.description } : {}),
        members,
        nestedMembers,
        assignments: lab.assignments.forPrincipal(group.objectId).map(a => assignmentOverview(lab, a.state)),
      };
    })
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** The groups a principal is in, directly or through nested groups, with when it joined each directly. */
export function membershipsOf(lab: Lab, objectId: string): Array<{ groupId: string; name: string; direct: boolean; addedAt?: number }> {
  const direct = new Map(lab.directory.directGroupsOf(objectId).map(g => [g.objectId.toLowerCase(), g]));
  return lab.directory.memberOf(objectId).map(groupId => {
    const group = direct.get(groupId.toLowerCase());
    const addedAt = group?.members.find(m => m.objectId.toLowerCase() === objectId.toLowerCase())?.addedAt;
    return { groupId, name: nameOf(lab, groupId), direct: Boolean(group), ...(addedAt !== undefined ? { addedAt } : {}) };
  });
}

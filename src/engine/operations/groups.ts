// Microsoft Entra security groups: create, delete, add and remove members (users, service
// principals — managed identities too — and other groups), as Microsoft Graph does them
// (POST /groups, DELETE /groups/{id}, POST /groups/{id}/members/$ref, DELETE …/members/{id}/$ref).
// Entra permissions are not modelled: the learner administers the lab's tenant. Membership
// changes are immediate in the directory; a token carries the groups it had when it was issued.
import type { Lab } from '../lab/lab';
import { mutable } from '../lab/mutable';
import { LabError } from '../base/errors';
import { isGuid, newGuid } from '../base/ids';
import type { GroupState, ReadonlyGroup } from '../state/labState';
import { GRAPH_MEMBER_EXISTS, graphInvalidProperty, graphObjectNotFound } from './messages';

export interface GroupRequest {
  displayName: string;
  mailNickname: string;
  description?: string;
}

/** Graph's rule for mailNickname: 1–64 ASCII characters, none of @ ( ) \ [ ] " ; : < > , or a space. */
const MAIL_NICKNAME = /^[\x21-\x7e]{1,64}$/;
const MAIL_NICKNAME_FORBIDDEN = /[@()\\[\]";:<>,]/;

export function createGroup(lab: Lab, request: GroupRequest): ReadonlyGroup {
  const displayName = request.displayName.trim();
  if (!displayName || displayName.length > 256) {
    throw new LabError('Request_BadRequest', graphInvalidProperty('displayName'), 400, 'displayName');
  }
  if (!MAIL_NICKNAME.test(request.mailNickname) || MAIL_NICKNAME_FORBIDDEN.test(request.mailNickname)) {
    throw new LabError('Request_BadRequest', graphInvalidProperty('mailNickname'), 400, 'mailNickname');
  }
  const group: GroupState = {
    objectId: newGuid(),
    displayName,
    mailNickname: request.mailNickname,
    ...(request.description !== undefined ? { description: request.description } : {}),
    createdAt: lab.clock.now(),
    members: [],
  };
  mutable(lab).directory.addGroup(group);
  lab.notify('groups');
  return group;
}

/** The groups with this display name and mail nickname (`az ad group create` returns an existing one unless --force). */
export const groupsNamed = (lab: Lab, displayName: string, mailNickname: string): readonly ReadonlyGroup[] =>
  lab.directory.groups.filter(g => g.displayName === displayName && g.mailNickname === mailNickname);

export function requireGroup(lab: Lab, objectId: string): ReadonlyGroup {
  const group = lab.directory.group(objectId);
  if (!group) throw new LabError('Request_ResourceNotFound', graphObjectNotFound(objectId), 404, 'group');
  return group;
}

/** Deletes a group. Its role assignments stay, orphaned ("Identity not found"), as on Azure. */
export function deleteGroup(lab: Lab, objectId: string): ReadonlyGroup {
  const group = requireGroup(lab, objectId);
  lab.checkpoint(`Delete group ${group.displayName}`);
  mutable(lab).directory.removeGroup(group.objectId);
  lab.notify('groups');
  return group;
}

/** What kind of directory object an id is (a member must be one). */
export function directoryObjectKind(lab: Lab, objectId: string): 'user' | 'servicePrincipal' | 'group' | undefined {
  if (lab.directory.group(objectId)) return 'group';
  const principal = lab.directory.principal(objectId);
  return principal ? (principal.kind === 'User' ? 'user' : 'servicePrincipal') : undefined;
}

export function addGroupMember(lab: Lab, groupId: string, memberId: string): void {
  const group = requireGroup(lab, groupId);
  if (!isGuid(memberId) || !directoryObjectKind(lab, memberId)) {
    throw new LabError('Request_ResourceNotFound', graphObjectNotFound(memberId), 404, 'memberId');
  }
  if (group.members.some(m => m.objectId.toLowerCase() === memberId.toLowerCase())) {
    throw new LabError('Request_BadRequest', GRAPH_MEMBER_EXISTS, 400, 'memberId');
  }
  // A group cannot contain itself, directly or through another group (the lab's rule; Entra's exact text is unverified).
  if (
    memberId.toLowerCase() === group.objectId.toLowerCase() ||
    lab.directory.memberOf(group.objectId).some(g => g.toLowerCase() === memberId.toLowerCase())
  ) {
    throw new LabError(
      'Request_BadRequest',
      'A group cannot be a member of itself, directly or through the groups it is in.',
      400,
      'memberId',
    );
  }
  mutable(lab).directory.addMember(group.objectId, { objectId: memberId.toLowerCase(), addedAt: lab.clock.now() });
  lab.notify('groups');
}

export function removeGroupMember(lab: Lab, groupId: string, memberId: string): void {
  const group = requireGroup(lab, groupId);
  if (!mutable(lab).directory.removeMember(group.objectId, memberId)) {
    throw new LabError('Request_ResourceNotFound', graphObjectNotFound(memberId), 404, 'memberId');
  }
  lab.notify('groups');
}

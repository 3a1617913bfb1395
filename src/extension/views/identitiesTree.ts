// The Identities & Access view: every managed identity (system- and user-assigned), what it is
// attached to, the groups it is in and its role assignments with their scope; the tenant's
// security groups with their members (direct, and through nested groups) and assignments; and,
// at the end, assignments whose principal is gone, flagged "Identity not found" as the portal does.
import * as vscode from 'vscode';
import type { Lab } from '../../engine/lab/lab';
import { hasTokenEndpoint, resourceTypeOf } from '../../engine/azure/resourceTypes';
import { idKey } from '../../engine/azure/resourceId';
import type { AssignmentOverview, ManagedIdentityOverview } from '../../engine/readModels/overview/identities';
import { assignmentOverview, listManagedIdentities, orphanedAssignments } from '../../engine/readModels/overview/identities';
import type { LabController } from '../labController';
import type { IdentityNode } from './nodes';
import { tooltip } from './markdown';
import { ID_WORDS, labelledId } from '../../engine/readModels/idWords';
import { listGroups, membershipsOf, type GroupOverview } from '../../engine/readModels/overview/groups';
import { formatDuration } from '../../engine/base/clock';

export class IdentitiesTreeProvider implements vscode.TreeDataProvider<IdentityNode> {
  private readonly changed = new vscode.EventEmitter<IdentityNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private identities: ManagedIdentityOverview[] | undefined;
  private groups: GroupOverview[] | undefined;

  constructor(private readonly controller: LabController) {
    controller.onWillRedraw(() => {
      this.identities = undefined;
      this.groups = undefined;
    });
    controller.onDidChangeLab(() => this.refresh());
  }

  refresh(): void {
    this.identities = undefined;
    this.groups = undefined;
    this.changed.fire(undefined);
  }

  private groupOverview(lab: Lab, groupId: string): GroupOverview | undefined {
    return (this.groups ??= listGroups(lab)).find(g => g.objectId.toLowerCase() === groupId.toLowerCase());
  }

  private overview(lab: Lab): ManagedIdentityOverview[] {
    return (this.identities ??= listManagedIdentities(lab));
  }

  private find(lab: Lab, principalId: string): ManagedIdentityOverview | undefined {
    return this.overview(lab).find(i => i.principalId.toLowerCase() === principalId.toLowerCase());
  }

  async getChildren(node?: IdentityNode): Promise<IdentityNode[]> {
    let lab: Lab;
    try {
      lab = (await this.controller.ready()).lab;
    } catch (error) {
      return [{ kind: 'message', text: `The lab could not start: ${(error as Error).message}`, icon: 'error' }];
    }
    if (!node) {
      const identities = this.overview(lab).map((i): IdentityNode => ({
        kind: 'identity',
        principalId: i.principalId,
        identityKind: i.kind,
        resourceId: i.resourceId,
      }));
      const groups = (this.groups ??= listGroups(lab)).map((g): IdentityNode => ({ kind: 'entraGroup', groupId: g.objectId }));
      const orphans = orphanedAssignments(lab).map((o): IdentityNode => ({ kind: 'orphanedPrincipal', principalId: o.principalId }));
      return [...identities, ...groups, ...orphans];
    }
    switch (node.kind) {
      case 'identity': {
        const identity = this.find(lab, node.principalId);
        if (!identity) return [];
        const attachments = identity.attachedTo.map((a): IdentityNode => ({
          kind: 'attachment',
          principalId: identity.principalId,
          identityKind: identity.kind,
          identityResourceId: identity.resourceId,
          resourceId: a.resourceId,
        }));
        const assignments = identity.assignments.map((a): IdentityNode => ({
          kind: 'assignment',
          assignmentName: a.assignment.name,
          principalId: identity.principalId,
          orphaned: false,
        }));
        const memberships = membershipsOf(lab, identity.principalId).map((m): IdentityNode => ({
          kind: 'membership',
          principalId: identity.principalId,
          groupId: m.groupId,
        }));
        const none: IdentityNode[] =
          assignments.length || memberships.length
            ? []
            : [{ kind: 'message', text: 'No role assignments: it can get tokens, but no service will let it in', icon: 'info' }];
        return [...attachments, ...memberships, ...assignments, ...none];
      }
      case 'entraGroup': {
        const group = this.groupOverview(lab, node.groupId);
        if (!group) return [];
        const members = group.members.map((m): IdentityNode => ({ kind: 'groupMember', groupId: group.objectId, memberId: m.objectId }));
        const nested = group.nestedMembers.map((m): IdentityNode => ({
          kind: 'groupMember',
          groupId: group.objectId,
          memberId: m.objectId,
          through: m.through,
        }));
        const assignments = group.assignments.map((a): IdentityNode => ({
          kind: 'assignment',
          assignmentName: a.assignment.name,
          principalId: group.objectId,
          orphaned: false,
        }));
        const empty: IdentityNode[] = members.length
          ? []
          : [{ kind: 'message', text: 'No members yet (az ad group member add)', icon: 'info' }];
        return [...members, ...nested, ...assignments, ...empty];
      }
      case 'orphanedPrincipal':
        return lab.assignments
          .forPrincipal(node.principalId)
          .map(a => ({ kind: 'assignment', assignmentName: a.state.name, principalId: node.principalId, orphaned: true }));
      default:
        return [];
    }
  }

  getTreeItem(node: IdentityNode): vscode.TreeItem {
    const lab = this.controller.current;
    switch (node.kind) {
      case 'identity':
        return identityItem(lab ? this.find(lab, node.principalId) : undefined, node.principalId);
      case 'attachment':
        return attachmentItem(lab, node);
      case 'assignment': {
        const state = lab?.assignments.get(node.assignmentName);
        return assignmentItem(lab && state ? assignmentOverview(lab, state) : undefined, node);
      }
      case 'entraGroup':
        return groupItem(lab ? this.groupOverview(lab, node.groupId) : undefined, node.groupId);
      case 'groupMember':
        return memberItem(lab ? this.groupOverview(lab, node.groupId) : undefined, node);
      case 'membership':
        return membershipItem(lab, node);
      case 'orphanedPrincipal': {
        const item = new vscode.TreeItem('Identity not found', vscode.TreeItemCollapsibleState.Expanded);
        item.description = labelledId('principal', node.principalId);
        item.tooltip = tooltip(
          { bold: 'Identity not found' },
          { line: true },
          { text: 'These role assignments belong to principal ' },
          { code: node.principalId },
          {
            text:
              ', which no longer exists (its resource or identity was deleted, or its system-assigned identity turned off). ' +
              'They grant nothing; remove them.',
          },
        );
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.contextValue = 'orphanedPrincipal hasPrincipal';
        item.id = `orphan:${node.principalId.toLowerCase()}`;
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        return item;
      }
    }
  }
}

function identityItem(identity: ManagedIdentityOverview | undefined, principalId: string): vscode.TreeItem {
  if (!identity) return new vscode.TreeItem(principalId);
  const item = new vscode.TreeItem(identity.name, vscode.TreeItemCollapsibleState.Expanded);
  const system = identity.kind === 'SystemAssigned';
  const roles = identity.assignments.length;
  item.description = `${system ? 'system-assigned' : 'user-assigned'} · ${roles} role assignment${roles === 1 ? '' : 's'}`;
  item.tooltip = tooltip(
    { bold: `${system ? 'System-assigned' : 'User-assigned'} managed identity ` },
    { text: identity.name },
    { line: true },
    { text: `${ID_WORDS.principal}: ` },
    { code: identity.principalId },
    { line: true },
    { text: `${ID_WORDS.client}: ` },
    { code: identity.clientId },
    { line: true },
    {
      text: system
        ? 'Lives and dies with its resource.'
        : `A resource of its own, attached to ${identity.attachedTo.length} resource(s); it survives them.`,
    },
  );
  item.iconPath = new vscode.ThemeIcon(system ? 'vm-active' : 'person');
  const host = identity.attachedTo.length > 0 ? ' tokenHost' : '';
  item.contextValue = `identity principal hasPrincipal ${system ? 'systemAssignedIdentity systemIdentityOn' : 'userAssignedIdentity'}${host}`;
  item.id = `identity:${identity.principalId.toLowerCase()}`;
  return item;
}

function groupItem(group: GroupOverview | undefined, groupId: string): vscode.TreeItem {
  if (!group) return new vscode.TreeItem(groupId);
  const item = new vscode.TreeItem(group.displayName, vscode.TreeItemCollapsibleState.Collapsed);
  const count = group.members.length + group.nestedMembers.length;
  const roles = group.assignments.length;
  item.description = `security group · ${count} member${count === 1 ? '' : 's'} · ${roles} role assignment${roles === 1 ? '' : 's'}`;
  item.tooltip = tooltip(
    { bold: 'Microsoft Entra security group ' },
    { text: group.displayName },
    { line: true },
    { text: 'Object id: ' },
    { code: group.objectId },
    { line: true },
    {
      text:
        "Its role assignments apply to its members through their tokens' groups claim: a managed identity that joins later " +
        'gets the access only once its cached token (about 24 hours) is replaced.',
    },
  );
  item.iconPath = new vscode.ThemeIcon('organization');
  item.contextValue = 'entraGroup principal hasPrincipal';
  item.id = `entraGroup:${group.objectId.toLowerCase()}`;
  return item;
}

function memberItem(group: GroupOverview | undefined, node: Extract<IdentityNode, { kind: 'groupMember' }>): vscode.TreeItem {
  const direct = group?.members.find(m => m.objectId === node.memberId);
  const nested = group?.nestedMembers.find(m => m.objectId === node.memberId);
  const item = new vscode.TreeItem(direct?.name ?? nested?.name ?? node.memberId);
  item.description = node.through ? `through ${node.through}` : direct ? `member, added ${direct.addedAgo} ago (lab time)` : '';
  item.tooltip = tooltip(
    { code: node.memberId },
    { line: true },
    {
      text: node.through
        ? `In the group through the nested group ${node.through}: Entra's groups claim and checkMemberGroups count it.`
        : 'Tokens issued to it before it joined do not carry this group.',
    },
  );
  item.iconPath = new vscode.ThemeIcon(direct?.kind === 'user' ? 'account' : direct?.kind === 'group' ? 'organization' : 'person');
  item.contextValue = 'groupMember';
  item.id = `member:${node.groupId.toLowerCase()}|${node.memberId.toLowerCase()}|${node.through ?? ''}`;
  return item;
}

function membershipItem(lab: Lab | undefined, node: Extract<IdentityNode, { kind: 'membership' }>): vscode.TreeItem {
  const membership = lab ? membershipsOf(lab, node.principalId).find(m => m.groupId === node.groupId) : undefined;
  const item = new vscode.TreeItem(`Member of ${membership?.name ?? node.groupId}`);
  const now = lab?.clock.now() ?? Date.now();
  item.description = membership?.direct
    ? `since ${formatDuration(Math.max(0, now - (membership.addedAt ?? now)))} ago (lab time): in tokens issued since`
    : 'through a nested group';
  item.tooltip = tooltip({
    text:
      "The group's role assignments reach this identity through the groups claim of tokens issued after it joined; " +
      'a token the endpoint cached before then lacks it.',
  });
  item.iconPath = new vscode.ThemeIcon('organization');
  item.contextValue = 'membership';
  item.id = `membership:${node.principalId.toLowerCase()}|${node.groupId.toLowerCase()}`;
  return item;
}

function attachmentItem(lab: Lab | undefined, node: Extract<IdentityNode, { kind: 'attachment' }>): vscode.TreeItem {
  const host = lab?.arm.resource(node.resourceId);
  const info = host ? resourceTypeOf(host.type, host.kind) : undefined;
  const item = new vscode.TreeItem(
    `${node.identityKind === 'SystemAssigned' ? 'Belongs to' : 'Attached to'} ${host?.name ?? node.resourceId.split('/').pop()}`,
  );
  item.description = info?.displayName ?? '';
  item.tooltip = tooltip({ text: 'Code on this resource can get tokens as this identity.' }, { line: true }, { code: node.resourceId });
  item.iconPath = new vscode.ThemeIcon(info?.icon ?? 'link');
  const tokenHost = hasTokenEndpoint(info) ? ' tokenHost' : '';
  item.contextValue = `attachment${node.identityKind === 'UserAssigned' ? ' attachedIdentity' : ''}${tokenHost}`;
  item.id = `attach:${node.principalId.toLowerCase()}|${idKey(node.resourceId)}`;
  return item;
}

function assignmentItem(overview: AssignmentOverview | undefined, node: Extract<IdentityNode, { kind: 'assignment' }>): vscode.TreeItem {
  if (!overview) return new vscode.TreeItem(node.assignmentName);
  const item = new vscode.TreeItem(overview.roleName);
  const scope = overview.scope;
  item.description = `${scope.text}${scope.inheritedBelow ? ' · inherited by everything in it' : ''}${node.orphaned ? ' · Identity not found' : ''}`;
  item.tooltip = tooltip(
    { bold: overview.roleName },
    { text: ` at ${scope.text}` },
    { line: true },
    {
      text: scope.inheritedBelow
        ? `Assigned at a ${scope.kind === 'resourceGroup' ? 'resource group' : scope.kind}: every resource inside inherits it.`
        : 'Assigned directly on this resource.',
    },
    { line: true },
    { code: overview.assignment.scope },
    ...(node.orphaned
      ? [{ line: true } as const, { text: 'Identity not found: the principal was deleted. The assignment grants nothing.' }]
      : []),
  );
  item.iconPath = node.orphaned
    ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
    : new vscode.ThemeIcon('shield');
  item.contextValue = `roleAssignment${node.orphaned ? ' orphaned' : ''}`;
  item.id = `ra:${node.assignmentName.toLowerCase()}`;
  return item;
}

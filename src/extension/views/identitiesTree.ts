// The Identities & Access view: every managed identity (system- and user-assigned), what it is
// attached to, and its role assignments with their scope — and, at the end, assignments whose
// principal is gone, flagged "Identity not found" as the portal does.
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

export class IdentitiesTreeProvider implements vscode.TreeDataProvider<IdentityNode> {
  private readonly changed = new vscode.EventEmitter<IdentityNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private identities: ManagedIdentityOverview[] | undefined;

  constructor(private readonly controller: LabController) {
    controller.onWillRedraw(() => (this.identities = undefined));
    controller.onDidChangeLab(() => this.refresh());
  }

  refresh(): void {
    this.identities = undefined;
    this.changed.fire(undefined);
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
      const orphans = orphanedAssignments(lab).map((o): IdentityNode => ({ kind: 'orphanedPrincipal', principalId: o.principalId }));
      return [...identities, ...orphans];
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
        const none: IdentityNode[] = assignments.length
          ? []
          : [{ kind: 'message', text: 'No role assignments: it can get tokens, but no service will let it in', icon: 'info' }];
        return [...attachments, ...assignments, ...none];
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

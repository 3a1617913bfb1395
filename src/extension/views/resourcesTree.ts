// The Resources view: subscriptions → resource groups → resources, each compute resource
// showing its managed identities.
import * as vscode from 'vscode';
import type { Lab } from '../../engine/lab';
import type { ResourceState } from '../../engine/model/state';
import { resourceTypeOf } from '../../engine/arm/resourceTypes';
import type { LabController } from '../labController';

export type ResourceNode =
  | { kind: 'subscription'; subscriptionId: string }
  | { kind: 'group'; subscriptionId: string; name: string }
  | { kind: 'resource'; id: string }
  | { kind: 'systemIdentity'; resourceId: string }
  | { kind: 'message'; text: string; icon: string };

export class ResourcesTreeProvider implements vscode.TreeDataProvider<ResourceNode> {
  private readonly changed = new vscode.EventEmitter<ResourceNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly controller: LabController) {
    controller.onDidChangeLab(() => this.changed.fire(undefined));
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: ResourceNode): Promise<ResourceNode[]> {
    let lab: Lab;
    try {
      lab = (await this.controller.ready()).lab;
    } catch (error) {
      return [{ kind: 'message', text: `The lab could not start: ${(error as Error).message}`, icon: 'error' }];
    }
    if (!node) return lab.arm.subscriptions.map(s => ({ kind: 'subscription', subscriptionId: s.subscriptionId }));
    switch (node.kind) {
      case 'subscription':
        return lab.arm.groupsIn(node.subscriptionId).map(g => ({ kind: 'group', subscriptionId: node.subscriptionId, name: g.name }));
      case 'group':
        return lab.arm.resourcesIn(node.subscriptionId, node.name).map(r => ({ kind: 'resource', id: r.id }));
      case 'resource': {
        const resource = lab.arm.resource(node.id);
        return resource?.identity?.systemAssigned ? [{ kind: 'systemIdentity', resourceId: resource.id }] : [];
      }
      default:
        return [];
    }
  }

  getTreeItem(node: ResourceNode): vscode.TreeItem {
    const lab = this.controller.current;
    switch (node.kind) {
      case 'subscription': {
        const s = lab?.arm.subscription(node.subscriptionId);
        const item = new vscode.TreeItem(s?.displayName ?? node.subscriptionId, vscode.TreeItemCollapsibleState.Expanded);
        item.description = node.subscriptionId;
        item.iconPath = new vscode.ThemeIcon('key');
        item.contextValue = 'subscription';
        item.id = `sub:${node.subscriptionId}`;
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = new vscode.ThemeIcon('folder');
        item.contextValue = 'resourceGroup';
        item.id = `rg:${node.subscriptionId}/${node.name}`.toLowerCase();
        return item;
      }
      case 'resource':
        return resourceItem(lab?.arm.resource(node.id), node.id);
      case 'systemIdentity': {
        const principalId = lab?.arm.resource(node.resourceId)?.identity?.systemAssigned?.principalId ?? '';
        const item = new vscode.TreeItem('System-assigned identity: On');
        item.description = principalId;
        item.tooltip = new vscode.MarkdownString(`**System-assigned managed identity**\n\nPrincipal (object) id: \`${principalId}\``);
        item.iconPath = new vscode.ThemeIcon('pass-filled');
        item.contextValue = 'systemIdentity';
        item.id = `sysid:${node.resourceId}`.toLowerCase();
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

function resourceItem(resource: ResourceState | undefined, id: string): vscode.TreeItem {
  if (!resource) return new vscode.TreeItem(id);
  const info = resourceTypeOf(resource.type, resource.kind);
  const hasIdentity = resource.identity?.systemAssigned !== undefined;
  const item = new vscode.TreeItem(resource.name, hasIdentity ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  item.description = info?.displayName ?? resource.type;
  item.tooltip = new vscode.MarkdownString(`**${info?.displayName ?? resource.type}**\n\n\`${resource.id}\``);
  item.iconPath = new vscode.ThemeIcon(info?.icon ?? 'symbol-misc');
  item.contextValue = info?.tokenEndpoint === 'imds' || info?.tokenEndpoint === 'identityEndpoint' ? 'resource identityHost' : 'resource';
  item.id = `res:${resource.id}`.toLowerCase();
  return item;
}

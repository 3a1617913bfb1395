// The Resources view: subscriptions → resource groups → resources (child resources under
// their parent), each with its type's icon; resources that can have a managed identity show
// its state: system-assigned on (with its principal id) or off, and user-assigned ones attached.
// A filter (Filter Resources…) narrows it; which resources it shows and which groups start
// expanded is the engine's rule (readModels/overview/resourceFilter.ts).
import * as vscode from 'vscode';
import type { Lab } from '../../engine/lab/lab';
import type { ReadonlyResource } from '../../engine/state/labState';
import { hasTokenEndpoint, resourceTypeOf } from '../../engine/azure/resourceTypes';
import { idKey, parseResourceId, resourceGroupId } from '../../engine/azure/resourceId';
import type { LabController } from '../labController';
import type { ResourceNode } from './nodes';

export type { ResourceNode } from './nodes';
import { tooltip, type TooltipPart } from './markdown';
import { identityIds, labelledId } from '../../engine/readModels/idWords';
import {
  filterSummary,
  groupStartsExpanded,
  parseResourceFilter,
  shownResourceIds,
  type ResourceFilter,
} from '../../engine/readModels/overview/resourceFilter';

/** Set while a filter is on: package.json shows "Clear Filter" on the view's title bar then. */
export const RESOURCES_FILTERED_CONTEXT = 'managedIdentityLab.resourcesFiltered';

export interface FilterResult {
  filter: string | undefined;
  shown: number;
  total: number;
}

/** Per-refresh indexes, so a group of thousands of resources is listed without rescanning the lab. */
interface Snapshot {
  childrenOf: Map<string, ReadonlyResource[]>;
  topLevelOf: Map<string, ReadonlyResource[]>;
  /** What the filter shows (lower-cased ids); undefined without a filter. */
  shown?: Set<string>;
  /** Top-level resources shown, in the tree and per group (idKey of the group's id). */
  shownTopLevel?: { total: number; perGroup: Map<string, number> };
}

export class ResourcesTreeProvider implements vscode.TreeDataProvider<ResourceNode> {
  private readonly changed = new vscode.EventEmitter<ResourceNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private snapshot: Snapshot | undefined;
  private filter: ResourceFilter | undefined;
  private view: vscode.TreeView<ResourceNode> | undefined;

  constructor(private readonly controller: LabController) {
    controller.onWillRedraw(() => (this.snapshot = undefined));
    controller.onDidChangeLab(() => this.refresh());
  }

  refresh(): void {
    this.snapshot = undefined;
    this.changed.fire(undefined);
  }

  /** The view this provider draws, so its description and message can say what the filter is. */
  attach(view: vscode.TreeView<ResourceNode>): void {
    this.view = view;
  }

  get filterText(): string | undefined {
    return this.filter?.text;
  }

  /** Sets the filter (empty text clears it); throws the engine's error for text no filter can be, changing nothing. */
  async setFilter(text: unknown): Promise<FilterResult> {
    const filter = parseResourceFilter(text);
    this.filter = filter;
    await vscode.commands.executeCommand('setContext', RESOURCES_FILTERED_CONTEXT, filter !== undefined);
    this.refresh();
    const lab = (await this.controller.ready()).lab;
    const counts = this.counts(lab);
    this.describe(counts);
    return { filter: filter?.text, ...counts };
  }

  private counts(lab: Lab): { shown: number; total: number } {
    const total = lab.arm.resources.length;
    return { shown: this.shownIds(lab)?.size ?? total, total };
  }

  private describe(counts: { shown: number; total: number }): void {
    if (!this.view) return;
    this.view.description = this.filter ? `filter: ${this.filter.text}` : undefined;
    this.view.message = this.filter ? filterSummary(this.filter, counts.shown, counts.total) : undefined;
  }

  private shownIds(lab: Lab): Set<string> | undefined {
    if (!this.filter) return undefined;
    this.snapshot ??= { childrenOf: new Map(), topLevelOf: new Map() };
    this.snapshot.shown ??= shownResourceIds(lab.arm.resources, this.filter);
    return this.snapshot.shown;
  }

  private isShown(lab: Lab, resource: ReadonlyResource): boolean {
    return this.shownIds(lab)?.has(resource.id.toLowerCase()) ?? true;
  }

  /** Top-level resources shown in the whole tree and in each group: what decides which groups start expanded. */
  private shownTopLevel(lab: Lab): { total: number; perGroup: Map<string, number> } {
    this.snapshot ??= { childrenOf: new Map(), topLevelOf: new Map() };
    if (this.snapshot.shownTopLevel) return this.snapshot.shownTopLevel;
    const perGroup = new Map<string, number>();
    let total = 0;
    for (const r of lab.arm.resources) {
      if (r.name.includes('/') || !this.isShown(lab, r)) continue;
      const parsed = parseResourceId(r.id);
      const key = idKey(resourceGroupId(parsed.subscriptionId!, parsed.resourceGroup!));
      perGroup.set(key, (perGroup.get(key) ?? 0) + 1);
      total++;
    }
    return (this.snapshot.shownTopLevel = { total, perGroup });
  }

  private groupListing(lab: Lab, subscriptionId: string, group: string): ReadonlyResource[] {
    this.snapshot ??= { childrenOf: new Map(), topLevelOf: new Map() };
    const key = idKey(resourceGroupId(subscriptionId, group));
    const cached = this.snapshot.topLevelOf.get(key);
    if (cached) return cached;
    const top: ReadonlyResource[] = [];
    for (const r of lab.arm.resourcesIn(subscriptionId, group)) {
      if (!this.isShown(lab, r)) continue;
      if (!r.name.includes('/')) {
        top.push(r);
        continue;
      }
      const parent = idKey(r.id.split('/').slice(0, -2).join('/'));
      this.snapshot.childrenOf.set(parent, [...(this.snapshot.childrenOf.get(parent) ?? []), r]);
    }
    top.sort((a, b) => a.name.localeCompare(b.name));
    this.snapshot.topLevelOf.set(key, top);
    return top;
  }

  private childResources(lab: Lab, resource: ReadonlyResource): ReadonlyResource[] {
    const parsed = parseResourceId(resource.id);
    this.groupListing(lab, parsed.subscriptionId!, parsed.resourceGroup!);
    return this.snapshot?.childrenOf.get(idKey(resource.id)) ?? [];
  }

  async getChildren(node?: ResourceNode): Promise<ResourceNode[]> {
    let lab: Lab;
    try {
      lab = (await this.controller.ready()).lab;
    } catch (error) {
      return [{ kind: 'message', text: `The lab could not start: ${(error as Error).message}`, icon: 'error' }];
    }
    if (!node) {
      // An empty lab shows the view's welcome content instead (package.json viewsWelcome).
      if (lab.arm.groups.length === 0) return [];
      const counts = this.counts(lab);
      this.describe(counts);
      if (this.filter && counts.shown === 0) {
        return [{ kind: 'message', text: filterSummary(this.filter, 0, counts.total), icon: 'filter' }];
      }
      const shownGroups = this.filter ? this.shownTopLevel(lab).perGroup : undefined;
      return lab.arm.subscriptions
        .filter(
          s =>
            !shownGroups || lab.arm.groupsIn(s.subscriptionId).some(g => shownGroups.has(idKey(resourceGroupId(s.subscriptionId, g.name)))),
        )
        .map(s => ({ kind: 'subscription', subscriptionId: s.subscriptionId }));
    }
    switch (node.kind) {
      case 'subscription': {
        const shownGroups = this.filter ? this.shownTopLevel(lab).perGroup : undefined;
        return [...lab.arm.groupsIn(node.subscriptionId)]
          .filter(g => !shownGroups || shownGroups.has(idKey(resourceGroupId(node.subscriptionId, g.name))))
          .sort((a, b) => a.name.localeCompare(b.name))
          .map(g => ({ kind: 'group', subscriptionId: node.subscriptionId, name: g.name, id: resourceGroupId(g.subscriptionId, g.name) }));
      }
      case 'group':
        return this.groupListing(lab, node.subscriptionId, node.name).map(r => ({ kind: 'resource', id: r.id }));
      case 'resource': {
        const resource = lab.arm.resource(node.id);
        if (!resource) return [];
        return [
          ...identityNodes(resource),
          ...this.childResources(lab, resource).map((r): ResourceNode => ({ kind: 'resource', id: r.id })),
        ];
      }
      default:
        return [];
    }
  }

  getParent(node: ResourceNode): ResourceNode | undefined {
    switch (node.kind) {
      case 'group':
        return { kind: 'subscription', subscriptionId: node.subscriptionId };
      case 'resource': {
        const parsed = parseResourceId(node.id);
        if (parsed.names.length > 1) return { kind: 'resource', id: node.id.split('/').slice(0, -2).join('/') };
        const group = this.controller.current?.arm.group(parsed.subscriptionId!, parsed.resourceGroup!);
        return group
          ? { kind: 'group', subscriptionId: group.subscriptionId, name: group.name, id: resourceGroupId(group.subscriptionId, group.name) }
          : undefined;
      }
      case 'systemIdentity':
      case 'attachedIdentity':
        return { kind: 'resource', id: node.resourceId };
      default:
        return undefined;
    }
  }

  getTreeItem(node: ResourceNode): vscode.TreeItem {
    const lab = this.controller.current;
    switch (node.kind) {
      case 'subscription': {
        const s = lab?.arm.subscription(node.subscriptionId);
        const item = new vscode.TreeItem(s?.displayName ?? node.subscriptionId, vscode.TreeItemCollapsibleState.Expanded);
        item.description = node.subscriptionId;
        item.tooltip = tooltip(
          { bold: 'Subscription' },
          { line: true },
          { text: s?.displayName ?? '' },
          { line: true },
          { code: `/subscriptions/${node.subscriptionId}` },
        );
        item.iconPath = new vscode.ThemeIcon('azure');
        item.contextValue = 'subscription scope';
        item.id = `sub:${node.subscriptionId}`.toLowerCase();
        return item;
      }
      case 'group': {
        const g = lab?.arm.group(node.subscriptionId, node.name);
        const shown = lab ? this.shownTopLevel(lab) : undefined;
        const inGroup = shown?.perGroup.get(idKey(node.id)) ?? 0;
        const expanded = !shown || groupStartsExpanded(shown.total, inGroup);
        const item = new vscode.TreeItem(
          node.name,
          expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
        );
        item.description = [g?.location ?? '', expanded ? '' : `${inGroup} resource${inGroup === 1 ? '' : 's'}`]
          .filter(Boolean)
          .join(' · ');
        item.tooltip = tooltip({ bold: 'Resource group ' }, { text: node.name }, { line: true }, { code: node.id }, ...tagParts(g?.tags));
        item.iconPath = new vscode.ThemeIcon('folder-library');
        item.contextValue = 'resourceGroup scope';
        // VS Code keeps an item's expanded state by id: a new filter or crossing the "many" line gets the rule's state afresh.
        item.id = `rg:${idKey(node.id)}|${this.filter?.text.toLowerCase() ?? ''}|${expanded ? 'few' : 'many'}`;
        return item;
      }
      case 'resource': {
        const resource = lab?.arm.resource(node.id);
        return resourceItem(lab, resource, node.id, lab && resource ? this.childResources(lab, resource).length > 0 : false);
      }
      case 'systemIdentity':
        return systemIdentityItem(lab?.arm.resource(node.resourceId), node);
      case 'attachedIdentity':
        return attachedIdentityItem(lab, lab?.arm.resource(node.resourceId), node.identityId);
      case 'message': {
        const item = new vscode.TreeItem(node.text);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        return item;
      }
    }
  }
}

function identityNodes(resource: ReadonlyResource): ResourceNode[] {
  const info = resourceTypeOf(resource.type, resource.kind);
  const nodes: ResourceNode[] = [];
  if (info?.systemAssigned) {
    nodes.push({ kind: 'systemIdentity', resourceId: resource.id, enabled: resource.identity?.systemAssigned !== undefined });
  }
  for (const u of resource.identity?.userAssigned ?? []) {
    nodes.push({ kind: 'attachedIdentity', resourceId: resource.id, identityId: u.resourceId });
  }
  return nodes;
}

function tagParts(tags: Record<string, string> | undefined): TooltipPart[] {
  const entries = Object.entries(tags ?? {});
  if (!entries.length) return [];
  return [{ line: true }, { bold: 'Tags' }, ...entries.flatMap(([k, v]): TooltipPart[] => [{ line: true }, { text: `${k} = ${v}` }])];
}

/** Words in a resource's contextValue; package.json menus match them with `viewItem =~ /\bword\b/`. */
function resourceContext(resource: ReadonlyResource): string {
  const info = resourceTypeOf(resource.type, resource.kind);
  const words = ['resource', 'scope', info?.key ?? 'unknown'];
  if (hasTokenEndpoint(info)) words.push('tokenHost');
  if (info?.systemAssigned) words.push(resource.identity?.systemAssigned ? 'systemIdentityOn' : 'systemIdentityOff');
  if (info?.userAssigned) words.push('userIdentityCapable');
  if (info?.key === 'identity') words.push('userAssignedIdentity', 'hasPrincipal');
  if (resource.identity?.systemAssigned) words.push('hasPrincipal');
  return words.join(' ');
}

function resourceItem(lab: Lab | undefined, resource: ReadonlyResource | undefined, id: string, hasChildren: boolean): vscode.TreeItem {
  if (!resource || !lab) {
    const item = new vscode.TreeItem(id.split('/').pop() ?? id);
    item.description = 'deleted';
    return item;
  }
  const info = resourceTypeOf(resource.type, resource.kind);
  const identity = resource.identity;
  const hasIdentity = identity?.systemAssigned !== undefined || (identity?.userAssigned.length ?? 0) > 0;
  const state = hasIdentity
    ? vscode.TreeItemCollapsibleState.Expanded
    : hasChildren || info?.systemAssigned
      ? vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(resource.name.split('/').pop()!, state);
  const identityState =
    info?.key === 'identity'
      ? labelledId('principal', resource.managedIdentity?.principalId ?? '?')
      : identity?.systemAssigned
        ? 'system-assigned identity on'
        : identity?.userAssigned.length
          ? `${identity.userAssigned.length} user-assigned`
          : '';
  item.description = [info?.displayName ?? resource.type, identityState].filter(Boolean).join(' · ');
  item.tooltip = tooltip(
    { bold: info?.displayName ?? resource.type },
    { text: ` ${resource.name} in ${resource.location}` },
    { line: true },
    { code: resource.id },
    ...(identity?.systemAssigned
      ? [{ line: true } as const, { text: `System-assigned identity: ${identityIds(identity.systemAssigned)}` }]
      : []),
    ...(identity?.userAssigned ?? []).flatMap((u): TooltipPart[] => [
      { line: true },
      { text: 'User-assigned identity: ' },
      { code: u.resourceId },
    ]),
    ...tagParts(resource.tags),
  );
  item.iconPath = new vscode.ThemeIcon(info?.icon ?? 'symbol-misc');
  item.contextValue = resourceContext(resource);
  item.id = `res:${idKey(resource.id)}`;
  return item;
}

function systemIdentityItem(resource: ReadonlyResource | undefined, node: { resourceId: string; enabled: boolean }): vscode.TreeItem {
  const system = resource?.identity?.systemAssigned;
  const item = new vscode.TreeItem(system ? 'System-assigned identity: On' : 'System-assigned identity: Off');
  item.id = `sysid:${idKey(node.resourceId)}`;
  const tokenHost = resource && hasTokenEndpoint(resourceTypeOf(resource.type, resource.kind)) ? ' tokenHost' : '';
  if (system) {
    item.description = system.principalId;
    item.tooltip = tooltip(
      { bold: 'System-assigned managed identity' },
      { line: true },
      { text: 'Principal (object) id: ' },
      { code: system.principalId },
      { line: true },
      { text: 'Client (app) id: ' },
      { code: system.clientId },
      { line: true },
      { text: 'Deleted with its resource; its role assignments would stay behind as "Identity not found".' },
    );
    item.iconPath = new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    item.contextValue = `systemIdentity systemIdentityOn hasPrincipal principal${tokenHost}`;
  } else {
    item.description = 'not enabled';
    item.tooltip = tooltip(
      { bold: 'No system-assigned identity' },
      { line: true },
      { text: 'Enable it to give code on this resource an identity in Microsoft Entra ID.' },
    );
    item.iconPath = new vscode.ThemeIcon('circle-slash');
    item.contextValue = 'systemIdentity systemIdentityOff';
  }
  return item;
}

function attachedIdentityItem(lab: Lab | undefined, host: ReadonlyResource | undefined, identityId: string): vscode.TreeItem {
  const attached = host?.identity?.userAssigned.find(u => idKey(u.resourceId) === idKey(identityId));
  const exists = lab?.arm.resource(identityId) !== undefined;
  const name = identityId.split('/').pop() ?? identityId;
  const item = new vscode.TreeItem(`User-assigned: ${name}`);
  item.id = `uaid:${idKey(host?.id ?? '')}|${idKey(identityId)}`;
  item.description = exists ? (attached?.clientId ?? '') : 'identity deleted';
  item.tooltip = tooltip(
    { bold: 'User-assigned managed identity' },
    { line: true },
    { code: identityId },
    { line: true },
    { text: 'Client id: ' },
    { code: attached?.clientId ?? '' },
    { line: true },
    { text: 'Principal id: ' },
    { code: attached?.principalId ?? '' },
    ...(exists
      ? []
      : [{ line: true } as const, { text: 'This identity was deleted: token requests for it fail with "Identity not found". Detach it.' }]),
  );
  item.iconPath = exists
    ? new vscode.ThemeIcon('person')
    : new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  const tokenHost = host && hasTokenEndpoint(resourceTypeOf(host.type, host.kind)) ? ' tokenHost' : '';
  item.contextValue = `attachedIdentity principal${exists ? ' hasPrincipal' : ''}${tokenHost}`;
  return item;
}

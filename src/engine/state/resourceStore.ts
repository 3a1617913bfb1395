// Subscriptions, resource groups and resources, indexed by ARM's case-insensitive id.
import type {
  ReadonlyResource,
  ReadonlyResourceGroup,
  ReadonlySubscription,
  ResourceGroupState,
  ResourceState,
  SubscriptionState,
} from './labState';
import { idKey, parseResourceId, resourceGroupId, subscriptionId } from '../azure/resourceId';

/** What readers of a lab may do with its subscriptions, groups and resources. */
export interface ReadonlyResourceStore {
  readonly subscriptions: readonly ReadonlySubscription[];
  readonly groups: readonly ReadonlyResourceGroup[];
  readonly resources: readonly ReadonlyResource[];
  subscription(id: string): ReadonlySubscription | undefined;
  group(subscription: string, name: string): ReadonlyResourceGroup | undefined;
  groupsIn(subscription: string): readonly ReadonlyResourceGroup[];
  resource(id: string): ReadonlyResource | undefined;
  resourcesIn(subscription: string, group: string): readonly ReadonlyResource[];
  exists(id: string): boolean;
}

export class ResourceStore implements ReadonlyResourceStore {
  private readonly subscriptionsById = new Map<string, SubscriptionState>();
  private readonly groupsById = new Map<string, ResourceGroupState>();
  private readonly resourcesById = new Map<string, ResourceState>();
  /** Resource keys per resource-group key, so listing a group never scans the lab. */
  private readonly resourcesByGroup = new Map<string, Set<string>>();

  constructor(subscriptions: readonly SubscriptionState[], groups: readonly ResourceGroupState[], resources: readonly ResourceState[]) {
    for (const s of subscriptions) this.subscriptionsById.set(s.subscriptionId.toLowerCase(), s);
    for (const g of groups) this.putGroup(g);
    for (const r of resources) this.putResource(r);
  }

  get subscriptions(): SubscriptionState[] {
    return [...this.subscriptionsById.values()];
  }
  get groups(): ResourceGroupState[] {
    return [...this.groupsById.values()];
  }
  get resources(): ResourceState[] {
    return [...this.resourcesById.values()];
  }

  subscription(id: string): SubscriptionState | undefined {
    return this.subscriptionsById.get(id.toLowerCase());
  }

  putSubscription(s: SubscriptionState): void {
    this.subscriptionsById.set(s.subscriptionId.toLowerCase(), s);
  }

  group(subscription: string, name: string): ResourceGroupState | undefined {
    return this.groupsById.get(idKey(resourceGroupId(subscription, name)));
  }

  groupsIn(subscription: string): ResourceGroupState[] {
    return this.groups.filter(g => g.subscriptionId.toLowerCase() === subscription.toLowerCase());
  }

  putGroup(g: ResourceGroupState): void {
    const key = idKey(resourceGroupId(g.subscriptionId, g.name));
    this.groupsById.set(key, g);
    if (!this.resourcesByGroup.has(key)) this.resourcesByGroup.set(key, new Set());
  }

  removeGroup(subscription: string, name: string): void {
    const key = idKey(resourceGroupId(subscription, name));
    this.groupsById.delete(key);
    this.resourcesByGroup.delete(key);
  }

  resource(id: string): ResourceState | undefined {
    return this.resourcesById.get(idKey(id));
  }

  /** Resources directly in a group (child resources included), in creation order. */
  resourcesIn(subscription: string, group: string): ResourceState[] {
    const keys = this.resourcesByGroup.get(idKey(resourceGroupId(subscription, group)));
    return keys ? [...keys].map(k => this.resourcesById.get(k)!).filter(Boolean) : [];
  }

  putResource(r: ResourceState): void {
    const key = idKey(r.id);
    this.resourcesById.set(key, r);
    const parsed = parseResourceId(r.id);
    const groupKey = idKey(resourceGroupId(parsed.subscriptionId!, parsed.resourceGroup!));
    let set = this.resourcesByGroup.get(groupKey);
    if (!set) this.resourcesByGroup.set(groupKey, (set = new Set()));
    set.add(key);
  }

  removeResource(id: string): ResourceState | undefined {
    const key = idKey(id);
    const r = this.resourcesById.get(key);
    if (!r) return undefined;
    this.resourcesById.delete(key);
    const parsed = parseResourceId(r.id);
    this.resourcesByGroup.get(idKey(resourceGroupId(parsed.subscriptionId!, parsed.resourceGroup!)))?.delete(key);
    return r;
  }

  /** Whether anything exists at this id (subscription, group or resource). */
  exists(id: string): boolean {
    const parsed = parseResourceId(id);
    switch (parsed.kind) {
      case 'tenant':
        return true;
      case 'subscription':
        return this.subscription(parsed.subscriptionId!) !== undefined;
      case 'resourceGroup':
        return this.group(parsed.subscriptionId!, parsed.resourceGroup!) !== undefined;
      case 'resource':
        return this.resource(parsed.id) !== undefined;
    }
  }

  static subscriptionScope = subscriptionId;
}

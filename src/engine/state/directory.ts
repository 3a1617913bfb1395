// The tenant's directory (Microsoft Entra ID): the signed-in user, the service principals
// (looked up by object id, client (app) id, display name or, for managed identities, the ARM
// id of what they belong to) and security groups, with each object's transitive membership.
import type {
  ApplicationState,
  GroupMemberState,
  GroupState,
  ReadonlyApplication,
  ReadonlyGroup,
  ReadonlyServicePrincipal,
  ServicePrincipalState,
  TenantState,
  UserState,
} from './labState';
import { idKey } from '../azure/resourceId';

export type Principal =
  | { kind: 'User'; objectId: string; displayName: string; userPrincipalName: string }
  | { kind: 'ServicePrincipal'; objectId: string; displayName: string; servicePrincipal: ServicePrincipalState };

/** What readers of a lab may do with its directory. */
export interface ReadonlyDirectory {
  readonly tenant: Readonly<TenantState>;
  readonly user: Readonly<UserState>;
  readonly applications: readonly ReadonlyApplication[];
  readonly servicePrincipals: readonly ReadonlyServicePrincipal[];
  application(appId: string): ReadonlyApplication | undefined;
  byObject(objectId: string): ReadonlyServicePrincipal | undefined;
  byClientId(appId: string): ReadonlyServicePrincipal | undefined;
  byManagedIdentityResource(resourceId: string): ReadonlyServicePrincipal | undefined;
  byDisplayName(name: string): readonly ReadonlyServicePrincipal[];
  principal(objectId: string): ReadonlyPrincipal | undefined;
  readonly groups: readonly ReadonlyGroup[];
  group(objectId: string): ReadonlyGroup | undefined;
  /** The groups an object is in, directly or through nested groups (what Entra's checkMemberGroups answers). */
  memberOf(objectId: string): readonly string[];
  /** The groups an object is a direct member of. */
  directGroupsOf(objectId: string): readonly ReadonlyGroup[];
}

export type ReadonlyPrincipal =
  | { kind: 'User'; objectId: string; displayName: string; userPrincipalName: string }
  | { kind: 'ServicePrincipal'; objectId: string; displayName: string; servicePrincipal: ReadonlyServicePrincipal };

export class Directory implements ReadonlyDirectory {
  private readonly byObjectId = new Map<string, ServicePrincipalState>();
  private readonly byAppId = new Map<string, ServicePrincipalState>();
  private readonly byResourceId = new Map<string, ServicePrincipalState>();
  private readonly apps = new Map<string, ApplicationState>();
  private readonly groupsById = new Map<string, GroupState>();
  /** Member object id → the groups it is a direct member of. */
  private readonly directGroups = new Map<string, Set<string>>();

  constructor(
    readonly tenant: TenantState,
    readonly user: UserState,
    servicePrincipals: readonly ServicePrincipalState[],
    applications: readonly ApplicationState[] = [],
    groups: readonly GroupState[] = [],
  ) {
    for (const sp of servicePrincipals) this.add(sp);
    for (const app of applications) this.apps.set(app.appId.toLowerCase(), app);
    for (const group of groups) this.addGroup(group);
  }

  get groups(): GroupState[] {
    return [...this.groupsById.values()];
  }

  group(objectId: string): GroupState | undefined {
    return this.groupsById.get(objectId.toLowerCase());
  }

  addGroup(group: GroupState): void {
    this.groupsById.set(group.objectId.toLowerCase(), group);
    for (const member of group.members) this.index(member.objectId, group.objectId);
  }

  removeGroup(objectId: string): GroupState | undefined {
    const group = this.group(objectId);
    if (!group) return undefined;
    this.groupsById.delete(group.objectId.toLowerCase());
    for (const member of group.members) this.directGroups.get(member.objectId.toLowerCase())?.delete(group.objectId.toLowerCase());
    // Entra removes a deleted group from the groups it was a member of.
    for (const other of this.groupsById.values()) this.removeMember(other.objectId, group.objectId);
    return group;
  }

  addMember(groupId: string, member: GroupMemberState): void {
    const group = this.group(groupId);
    if (!group) return;
    group.members.push(member);
    this.index(member.objectId, group.objectId);
  }

  removeMember(groupId: string, memberId: string): boolean {
    const group = this.group(groupId);
    const index = group ? group.members.findIndex(m => m.objectId.toLowerCase() === memberId.toLowerCase()) : -1;
    if (!group || index === -1) return false;
    group.members.splice(index, 1);
    this.directGroups.get(memberId.toLowerCase())?.delete(group.objectId.toLowerCase());
    return true;
  }

  private index(memberId: string, groupId: string): void {
    const key = memberId.toLowerCase();
    let set = this.directGroups.get(key);
    if (!set) this.directGroups.set(key, (set = new Set()));
    set.add(groupId.toLowerCase());
  }

  directGroupsOf(objectId: string): GroupState[] {
    return [...(this.directGroups.get(objectId.toLowerCase()) ?? [])].map(id => this.groupsById.get(id)!).filter(Boolean);
  }

  memberOf(objectId: string): string[] {
    const found = new Set<string>();
    const queue = [objectId.toLowerCase()];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      for (const groupId of this.directGroups.get(next) ?? []) {
        if (found.has(groupId) || !this.groupsById.has(groupId)) continue;
        found.add(groupId);
        queue.push(groupId);
      }
    }
    return [...found].map(id => this.groupsById.get(id)!.objectId);
  }

  get applications(): ApplicationState[] {
    return [...this.apps.values()];
  }

  application(appId: string): ApplicationState | undefined {
    return this.apps.get(appId.toLowerCase());
  }

  addApplication(app: ApplicationState): void {
    this.apps.set(app.appId.toLowerCase(), app);
  }

  removeApplication(appId: string): ApplicationState | undefined {
    const app = this.apps.get(appId.toLowerCase());
    this.apps.delete(appId.toLowerCase());
    return app;
  }

  get servicePrincipals(): ServicePrincipalState[] {
    return [...this.byObjectId.values()];
  }

  add(sp: ServicePrincipalState): void {
    this.byObjectId.set(sp.objectId.toLowerCase(), sp);
    this.byAppId.set(sp.appId.toLowerCase(), sp);
    const resourceId = managedIdentityResourceId(sp);
    if (resourceId) this.byResourceId.set(idKey(resourceId), sp);
  }

  remove(objectId: string): ServicePrincipalState | undefined {
    const sp = this.byObjectId.get(objectId.toLowerCase());
    if (!sp) return undefined;
    this.byObjectId.delete(sp.objectId.toLowerCase());
    this.byAppId.delete(sp.appId.toLowerCase());
    const resourceId = managedIdentityResourceId(sp);
    if (resourceId) this.byResourceId.delete(idKey(resourceId));
    return sp;
  }

  byObject(objectId: string): ServicePrincipalState | undefined {
    return this.byObjectId.get(objectId.toLowerCase());
  }

  byClientId(appId: string): ServicePrincipalState | undefined {
    return this.byAppId.get(appId.toLowerCase());
  }

  /** The managed identity whose `alternativeNames` carry this ARM id. */
  byManagedIdentityResource(resourceId: string): ServicePrincipalState | undefined {
    return this.byResourceId.get(idKey(resourceId));
  }

  byDisplayName(name: string): ServicePrincipalState[] {
    const wanted = name.toLowerCase();
    return this.servicePrincipals.filter(sp => sp.displayName.toLowerCase() === wanted);
  }

  /** Any principal (the user or a service principal) by object id. */
  principal(objectId: string): Principal | undefined {
    if (objectId.toLowerCase() === this.user.objectId.toLowerCase()) {
      return {
        kind: 'User',
        objectId: this.user.objectId,
        displayName: this.user.displayName,
        userPrincipalName: this.user.userPrincipalName,
      };
    }
    const sp = this.byObject(objectId);
    return sp && { kind: 'ServicePrincipal', objectId: sp.objectId, displayName: sp.displayName, servicePrincipal: sp };
  }
}

/** A managed identity's service principal lists the ARM id of its resource among its alternative names. */
export function managedIdentityResourceId(sp: ReadonlyServicePrincipal): string | undefined {
  if (sp.servicePrincipalType !== 'ManagedIdentity') return undefined;
  return sp.alternativeNames.find(name => name.startsWith('/'));
}

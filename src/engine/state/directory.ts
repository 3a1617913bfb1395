// The tenant's directory (Microsoft Entra ID): the signed-in user and the service
// principals, looked up by object id, client (app) id, display name or, for managed
// identities, the ARM id of what they belong to.
import type {
  ApplicationState,
  ReadonlyApplication,
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
}

export type ReadonlyPrincipal =
  | { kind: 'User'; objectId: string; displayName: string; userPrincipalName: string }
  | { kind: 'ServicePrincipal'; objectId: string; displayName: string; servicePrincipal: ReadonlyServicePrincipal };

export class Directory implements ReadonlyDirectory {
  private readonly byObjectId = new Map<string, ServicePrincipalState>();
  private readonly byAppId = new Map<string, ServicePrincipalState>();
  private readonly byResourceId = new Map<string, ServicePrincipalState>();
  private readonly apps = new Map<string, ApplicationState>();

  constructor(
    readonly tenant: TenantState,
    readonly user: UserState,
    servicePrincipals: readonly ServicePrincipalState[],
    applications: readonly ApplicationState[] = [],
  ) {
    for (const sp of servicePrincipals) this.add(sp);
    for (const app of applications) this.apps.set(app.appId.toLowerCase(), app);
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

// The lab: one simulated slice of Azure (a tenant, its subscriptions and resources, its
// identities and role assignments) plus the traces of what happened in it. Commands from
// every surface end here; views render from its events.
import type { Clock } from './clock';
import { systemClock } from './clock';
import { Directory } from './directory/directory';
import { ResourceStore } from './arm/store';
import { Emitter } from './events';
import type { DataPlaneState, LabSettings, LabState } from './model/state';
import { CURRENT_SCHEMA_VERSION } from './model/state';
import { TraceLog } from './trace/log';
import type { SigningKeyState } from './tokens/signingKeys';
import { publishedJwk } from './tokens/signingKeys';
import { TokenSigner, v1Issuer } from './tokens/accessToken';
import { idKey } from './arm/resourceId';

export interface LabChange {
  /** What kind of thing changed, for views that redraw selectively. */
  kind: 'resources' | 'identities' | 'roleAssignments' | 'dataPlane' | 'settings' | 'all';
}

export interface LabOptions {
  clock?: Clock;
}

export const DEFAULT_SETTINGS: LabSettings = { tokenLifetimeSeconds: 24 * 3600 };

export class Lab {
  readonly clock: Clock;
  readonly directory: Directory;
  readonly arm: ResourceStore;
  readonly traces = new TraceLog();
  readonly settings: LabSettings;
  private readonly dataPlane = new Map<string, DataPlaneState>();
  private signingKeys: SigningKeyState[];
  private signer: TokenSigner;
  private readonly changed = new Emitter<LabChange>();
  /** Fires after every change to the lab's state (never for traces alone). */
  readonly onDidChange = this.changed.event;

  constructor(state: LabState, options: LabOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.directory = new Directory(state.tenant, state.user, state.servicePrincipals);
    this.arm = new ResourceStore(state.subscriptions, state.resourceGroups, state.resources);
    for (const [key, value] of Object.entries(state.dataPlane)) this.dataPlane.set(key, value);
    this.settings = { ...DEFAULT_SETTINGS, ...state.settings };
    this.signingKeys = state.signingKeys;
    const active = state.signingKeys.find(k => k.retiredAt === undefined) ?? state.signingKeys[state.signingKeys.length - 1];
    if (!active) throw new Error('lab state has no signing key');
    this.signer = new TokenSigner(active);
  }

  get tenantId(): string {
    return this.directory.tenant.tenantId;
  }

  get issuer(): string {
    return v1Issuer(this.tenantId);
  }

  get tokenSigner(): TokenSigner {
    return this.signer;
  }

  /** The keys a token verifier should trust: the active one and any still in their overlap. */
  jwks(): { keys: ReturnType<typeof publishedJwk>[] } {
    return { keys: this.signingKeys.map(k => publishedJwk(k, this.issuer)) };
  }

  dataFor(resourceId: string): DataPlaneState {
    const key = idKey(resourceId);
    let data = this.dataPlane.get(key);
    if (!data) this.dataPlane.set(key, (data = {}));
    return data;
  }

  dropData(resourceId: string): void {
    this.dataPlane.delete(idKey(resourceId));
  }

  /** Announces a change; every mutation ends with this (after it has fully succeeded). */
  notify(kind: LabChange['kind']): void {
    this.changed.fire({ kind });
  }

  toState(): LabState {
    return {
      schemaVersion: CURRENT_SCHEMA_VERSION,
      tenant: this.directory.tenant,
      user: this.directory.user,
      subscriptions: this.arm.subscriptions,
      resourceGroups: this.arm.groups,
      resources: this.arm.resources,
      servicePrincipals: this.directory.servicePrincipals,
      roleAssignments: [],
      dataPlane: Object.fromEntries([...this.dataPlane].filter(([, v]) => Object.keys(v).length > 0)),
      signingKeys: this.signingKeys,
      settings: this.settings,
    };
  }
}

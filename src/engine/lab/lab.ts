// The lab: one simulated slice of Azure (a tenant, its subscriptions and resources, its
// identities and role assignments) plus the traces of what happened in it. Commands from
// every surface end here; views render from its events.
import type { Clock, ReadonlyLabClock } from '../base/clock';
import { LabClock, systemClock } from '../base/clock';
import { Directory, type ReadonlyDirectory } from '../state/directory';
import { ResourceStore, type ReadonlyResourceStore } from '../state/resourceStore';
import { Emitter } from '../base/events';
import type { DataPlaneState, HostFaults, LabSettings, LabState, ReadonlyScenarios, ScenariosState } from '../state/labState';
import { CURRENT_SCHEMA_VERSION } from '../state/labState';
import { TraceLog } from '../trace/log';
import type { PublishedJwk, SigningKeyState } from '../base/crypto/signingKeys';
import { createSigningKey, publishedJwk } from '../base/crypto/signingKeys';
import { TokenSigner, v1Issuer } from '../azure/accessTokens';
import { idKey } from '../azure/resourceId';
import { RoleDefinitions, type ReadonlyRoleDefinitions } from '../state/roleDefinitions';
import {
  RemovedAssignmentStore,
  RoleAssignmentStore,
  type ReadonlyRemovedAssignments,
  type ReadonlyRoleAssignments,
} from '../state/roleAssignments';
import { DEFAULT_RBAC_PROPAGATION, type PropagationClock } from '../state/propagation';
import { AccessDecider } from '../state/accessDecisions';
import type { Caller } from './authorization';
import { asPrincipal } from './authorization';
import { LabError } from '../base/errors';
import { registerLiveParts } from './mutable';
import { toBase64 } from '../base/encoding';
import type { ServiceUrls } from '../azure/serviceDomains';
import type { TlsState } from '../state/tlsMaterial';
import { createTlsMaterial, tlsNeedsRenewal } from '../state/tlsMaterial';
import { AZURE_SERVICE_URLS } from '../azure/serviceDomains';

export type LabChangeKind =
  'resources' | 'identities' | 'roleAssignments' | 'roleDefinitions' | 'groups' | 'dataPlane' | 'settings' | 'clock' | 'scenarios' | 'all';

export interface LabChange {
  /** What kind of thing changed. Views redraw on any change; the managed-identity token cache drops its tokens on 'all' (state replaced). */
  kind: LabChangeKind;
}

export interface LabOptions {
  /** Real time as the lab's clock reads it (tests pass a fake); the lab clock runs ahead of it or pauses as told. */
  clock?: Clock;
}

export const DEFAULT_SETTINGS: Readonly<LabSettings> = { tokenLifetimeSeconds: 24 * 3600, rbacPropagation: DEFAULT_RBAC_PROPAGATION };

const UNDO_DEPTH = 20;

/** How long a rotated-out signing key stays published: longer than any token it signed lives. */
export const KEY_OVERLAP_MS = 48 * 3600_000;

/** The live stores of a lab. Engine operations reach them through mutable.ts; everyone else reads the getters. */
export interface LabParts {
  workloadIssuerKey: SigningKeyState | undefined;
  secretSeed: string;
  tls: TlsState | undefined;
  faults: Record<string, HostFaults>;
  directory: Directory;
  arm: ResourceStore;
  roles: RoleDefinitions;
  assignments: RoleAssignmentStore;
  removedAssignments: RemovedAssignmentStore;
  access: AccessDecider;
  dataPlane: Map<string, DataPlaneState>;
  settings: LabSettings;
  signingKeys: SigningKeyState[];
  signer: TokenSigner;
  /** The lab's clock: the same object for the lab's whole life (undo does not turn time back). */
  clock: LabClock;
  /** Scenario progress and the running scenario: the learner's record, which undo and resets leave alone. */
  scenarios: ScenariosState;
}

function partsOf(state: LabState, clock: LabClock): LabParts {
  const roles = new RoleDefinitions(state.roleDefinitions);
  const assignments = new RoleAssignmentStore(state.roleAssignments);
  const removedAssignments = new RemovedAssignmentStore(state.removedRoleAssignments);
  const settings: LabSettings = {
    ...DEFAULT_SETTINGS,
    ...state.settings,
    rbacPropagation: { ...(state.settings.rbacPropagation ?? DEFAULT_RBAC_PROPAGATION) },
  };
  const propagation: PropagationClock = {
    now: () => clock.now(),
    get realistic() {
      return settings.rbacPropagation.mode === 'realistic';
    },
  };
  const active = state.signingKeys.find(k => k.retiredAt === undefined) ?? state.signingKeys[state.signingKeys.length - 1];
  if (!active) throw new Error('lab state has no signing key');
  return {
    secretSeed: state.secretSeed ?? toBase64(crypto.getRandomValues(new Uint8Array(32))),
    tls: state.tls,
    faults: { ...(state.faults ?? {}) },
    directory: new Directory(state.tenant, state.user, state.servicePrincipals, state.applications ?? [], state.groups),
    workloadIssuerKey: state.workloadIssuerKey,
    arm: new ResourceStore(state.subscriptions, state.resourceGroups, state.resources),
    roles,
    assignments,
    removedAssignments,
    access: new AccessDecider(roles, assignments, removedAssignments, propagation),
    dataPlane: new Map(Object.entries(state.dataPlane).map(([k, v]) => [k.toLowerCase(), v])),
    settings,
    signingKeys: state.signingKeys,
    signer: new TokenSigner(active),
    clock,
    scenarios: state.scenarios ? (JSON.parse(JSON.stringify(state.scenarios)) as ScenariosState) : { progress: {} },
  };
}

export class Lab {
  private readonly labClock: LabClock;
  readonly traces = new TraceLog();
  /** Data-plane URLs ARM reports; a running lab points them at its own endpoints. */
  serviceUrls: ServiceUrls = AZURE_SERVICE_URLS;
  private parts: LabParts;
  private readonly undoStack: Array<{ label: string; state: string }> = [];
  private readonly changed = new Emitter<LabChange>();
  /** Fires after every change to the lab's state (never for traces alone). */
  readonly onDidChange = this.changed.event;

  constructor(state: LabState, options: LabOptions = {}) {
    this.labClock = new LabClock(state.clock, options.clock ?? systemClock);
    this.parts = partsOf(state, this.labClock);
    registerLiveParts(this, () => this.parts);
  }

  /** The lab's time; operations/clock.ts moves it. */
  get clock(): ReadonlyLabClock {
    return this.labClock;
  }

  // Readers get read-only types; the engine's operations change the lab through mutable.ts.
  get directory(): ReadonlyDirectory {
    return this.parts.directory;
  }
  get arm(): ReadonlyResourceStore {
    return this.parts.arm;
  }
  get roles(): ReadonlyRoleDefinitions {
    return this.parts.roles;
  }
  get assignments(): ReadonlyRoleAssignments {
    return this.parts.assignments;
  }
  /** Deleted assignments whose removal has not propagated yet (realistic propagation). */
  get removedAssignments(): ReadonlyRemovedAssignments {
    return this.parts.removedAssignments;
  }
  get access(): AccessDecider {
    return this.parts.access;
  }
  get settings(): Readonly<LabSettings> {
    return this.parts.settings;
  }
  /** Scenario progress, and the scenario running now (its operations: operations/scenarioProgress.ts). */
  get scenarios(): ReadonlyScenarios {
    return this.parts.scenarios;
  }
  get tokenSigner(): TokenSigner {
    return this.parts.signer;
  }
  /** Seed of the per-host secrets (identityHeader.ts). Never logged. */
  get secretSeed(): string {
    return this.parts.secretSeed;
  }
  /** Per-host fault settings (see managedIdentity/faults.ts). */
  get hostFaults(): Readonly<Record<string, Readonly<HostFaults>>> {
    return this.parts.faults;
  }

  get tenantId(): string {
    return this.directory.tenant.tenantId;
  }

  get issuer(): string {
    return v1Issuer(this.tenantId);
  }

  /** The key the lab's AKS OIDC issuers sign service-account tokens with, created on first use. */
  async workloadIssuerKey(): Promise<SigningKeyState> {
    if (!this.parts.workloadIssuerKey) {
      this.parts.workloadIssuerKey = await createSigningKey(this.clock.now());
      this.notify('settings');
    }
    return this.parts.workloadIssuerKey;
  }

  /** Replaces the active token-signing key; the previous one stays published for KEY_OVERLAP_MS. */
  async rotateSigningKey(): Promise<SigningKeyState> {
    const now = this.clock.now();
    const fresh = await createSigningKey(now);
    const kept = this.parts.signingKeys
      .map(k => (k.retiredAt === undefined ? { ...k, retiredAt: now } : k))
      .filter(k => k.retiredAt === undefined || now - k.retiredAt < KEY_OVERLAP_MS);
    this.parts.signingKeys = [...kept, fresh];
    this.parts.signer = new TokenSigner(fresh);
    this.notify('settings');
    return fresh;
  }

  /** The lab's TLS material, created (and saved with the lab) on first use, and renewed before it expires. */
  async tlsMaterial(): Promise<TlsState> {
    // Real time, not the lab's: clients check a certificate's validity against their own clock.
    if (tlsNeedsRenewal(this.parts.tls, systemClock.now())) {
      this.parts.tls = await createTlsMaterial(systemClock.now(), this.directory.tenant.displayName);
      this.notify('settings');
    }
    return this.parts.tls!;
  }

  /** The signed-in learner, acting through `az`, the tree and the palette. */
  get learner(): Caller {
    return asPrincipal(this.directory.user.objectId);
  }

  /** The lab's default subscription (the first). */
  get defaultSubscriptionId(): string {
    const first = this.arm.subscriptions[0];
    if (!first) throw new LabError('SubscriptionNotFound', 'The lab has no subscription.', 404);
    return first.subscriptionId;
  }

  /** The keys a token verifier should trust: the active one and any still in their overlap. */
  jwks(): { keys: PublishedJwk[] } {
    const now = this.clock.now();
    return {
      keys: this.parts.signingKeys
        .filter(k => k.retiredAt === undefined || now - k.retiredAt < KEY_OVERLAP_MS)
        .map(k => publishedJwk(k, this.issuer)),
    };
  }

  dataFor(resourceId: string): DataPlaneState {
    const key = idKey(resourceId);
    let data = this.parts.dataPlane.get(key);
    if (!data) this.parts.dataPlane.set(key, (data = {}));
    return data;
  }

  dropData(resourceId: string): void {
    this.parts.dataPlane.delete(idKey(resourceId));
  }

  /** Announces a change; every mutation ends with this (after it has fully succeeded). */
  notify(kind: LabChangeKind): void {
    this.changed.fire({ kind });
  }

  /** Remembers the state before a destructive action, so `undo()` can bring it back. */
  checkpoint(label: string): void {
    this.undoStack.push({ label, state: this.toJson() });
    if (this.undoStack.length > UNDO_DEPTH) this.undoStack.shift();
  }

  /** What `undo()` would revert, newest first. */
  get undoLabels(): string[] {
    return this.undoStack.map(u => u.label).reverse();
  }

  /** Reverts the last destructive action. (A lab convenience: Azure itself has no undo.) Scenario progress is kept. */
  undo(): string | undefined {
    const last = this.undoStack.pop();
    if (!last) return undefined;
    this.restore(last.state);
    this.notify('all');
    return last.label;
  }

  /** Runs several operations as one: if any of them throws, the lab is put back as it was before (and says so). */
  atomically<T>(operations: () => T): T {
    const before = this.toJson();
    try {
      return operations();
    } catch (error) {
      this.restore(before);
      this.notify('all');
      throw error;
    }
  }

  /** Back to a saved form, keeping the scenario progress made since (the running scenario is the saved one's). */
  private restore(json: string): void {
    const { progress, walkthrough } = this.parts.scenarios;
    this.parts = partsOf(JSON.parse(json) as LabState, this.labClock);
    this.parts.scenarios.progress = progress;
    if (walkthrough) this.parts.scenarios.walkthrough = walkthrough;
  }

  /** Replaces everything with another state (reset, import, a scenario's lab), its clock too. Traces and scenarios are kept. */
  replaceState(state: LabState, label = 'Replace lab'): void {
    this.checkpoint(label);
    const scenarios = this.parts.scenarios;
    this.labClock.restore(state.clock);
    this.parts = partsOf(state, this.labClock);
    this.parts.scenarios = scenarios;
    this.notify('all');
  }

  /** The lab as it is saved: a copy, so changing it changes nothing in the lab. */
  toState(): LabState {
    return JSON.parse(this.toJson()) as LabState;
  }

  /** The saved form, serialized. */
  toJson(): string {
    return JSON.stringify(this.liveState());
  }

  private liveState(): LabState {
    const { directory, arm, roles, assignments } = this.parts;
    return {
      schemaVersion: CURRENT_SCHEMA_VERSION,
      tenant: directory.tenant,
      user: directory.user,
      subscriptions: arm.subscriptions,
      resourceGroups: arm.groups,
      resources: arm.resources,
      servicePrincipals: directory.servicePrincipals,
      ...(directory.applications.length ? { applications: directory.applications } : {}),
      roleDefinitions: roles.customRoles,
      roleAssignments: assignments.all,
      removedRoleAssignments: this.parts.removedAssignments.all,
      groups: directory.groups,
      dataPlane: Object.fromEntries([...this.parts.dataPlane].filter(([, v]) => Object.keys(v).length > 0)),
      signingKeys: this.parts.signingKeys,
      secretSeed: this.parts.secretSeed,
      ...(this.parts.workloadIssuerKey ? { workloadIssuerKey: this.parts.workloadIssuerKey } : {}),
      ...(this.parts.tls ? { tls: this.parts.tls } : {}),
      ...(Object.keys(this.parts.faults).length ? { faults: this.parts.faults } : {}),
      settings: this.parts.settings,
      clock: this.labClock.toState(),
      ...(this.parts.scenarios.active || this.parts.scenarios.walkthrough || Object.keys(this.parts.scenarios.progress).length
        ? { scenarios: this.parts.scenarios }
        : {}),
    };
  }
}

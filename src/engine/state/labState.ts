// The lab's state as it is saved: versioned JSON. Everything the lab knows is here; views
// and endpoints hold nothing of their own. See schema.ts for validation and migration.
import type { SigningKeyState } from '../base/crypto/signingKeys';
import type { TlsState } from './tlsMaterial';
import type { DeepReadonly } from '../base/readonly';
import type { ClockState } from '../base/clock';

export const CURRENT_SCHEMA_VERSION = 3;

export interface TenantState {
  tenantId: string;
  displayName: string;
  /** The tenant's initial domain, e.g. `contoso-lab.onmicrosoft.com`. */
  defaultDomain: string;
}

/** The learner, signed in to the lab as a user of the tenant. */
export interface UserState {
  objectId: string;
  userPrincipalName: string;
  displayName: string;
}

export interface SubscriptionState {
  subscriptionId: string;
  displayName: string;
}

export interface ResourceGroupState {
  subscriptionId: string;
  name: string;
  location: string;
  tags: Record<string, string>;
}

/** A managed identity as attached to a resource. Ids are copies, kept when the identity is gone. */
export interface AttachedUserIdentity {
  resourceId: string;
  principalId: string;
  clientId: string;
}

export interface ResourceIdentityState {
  systemAssigned?: { principalId: string; clientId: string };
  userAssigned: AttachedUserIdentity[];
}

export interface ResourceState {
  /** ARM id with the casing it was created with. */
  id: string;
  type: string;
  name: string;
  location: string;
  kind?: string;
  tags: Record<string, string>;
  identity?: ResourceIdentityState;
  /** Type-specific ARM properties (e.g. a vault's `enableRbacAuthorization`). */
  properties: Record<string, unknown>;
  /** For user-assigned identities: their own principal and client ids. */
  managedIdentity?: { principalId: string; clientId: string };
  /** For user-assigned identities: the issuers whose tokens they trust (workload identity). */
  federatedIdentityCredentials?: FederatedCredentialState[];
  createdAt: number;
}

export type ServicePrincipalType = 'ManagedIdentity' | 'Application';

/** A client secret. Only its hash is kept: Entra shows a secret once, then only its hint. */
export interface PasswordCredentialState {
  keyId: string;
  displayName: string;
  /** First three characters, as Entra shows them. */
  hint: string;
  /** SHA-256 of the secret, base64. */
  secretHash: string;
  startDateTime: number;
  endDateTime: number;
}

/** A certificate credential: the public certificate the app signs its client assertions for. */
export interface KeyCredentialState {
  keyId: string;
  displayName: string;
  /** SHA-1 thumbprint, upper-case hex (Entra's customKeyIdentifier). */
  thumbprint: string;
  /** Base64 DER. */
  certificate: string;
  startDateTime: number;
  endDateTime: number;
}

/** A trust in tokens from another issuer (workload identity federation). */
export interface FederatedCredentialState {
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
}

/** An app registration; its service principal (type Application) is in `servicePrincipals`. */
export interface ApplicationState {
  appId: string;
  objectId: string;
  displayName: string;
  createdAt: number;
  passwordCredentials: PasswordCredentialState[];
  keyCredentials: KeyCredentialState[];
  federatedIdentityCredentials: FederatedCredentialState[];
}

export interface ServicePrincipalState {
  objectId: string;
  appId: string;
  displayName: string;
  servicePrincipalType: ServicePrincipalType;
  /** For managed identities, as Entra shows them: `isExplicit=True|False` and the ARM id. */
  alternativeNames: string[];
  createdAt: number;
}

export interface SecretVersionState {
  version: string;
  value: string;
  contentType?: string;
  enabled: boolean;
  created: number;
  updated: number;
  tags: Record<string, string>;
}

export interface SecretState {
  name: string;
  versions: SecretVersionState[];
  /** Set while the secret is soft-deleted (recoverable until purged). */
  deleted?: { deletedDate: number; scheduledPurgeDate: number };
}

export interface BlobState {
  name: string;
  /** Content, base64. */
  content: string;
  contentType: string;
  lastModified: number;
  etag: string;
}

export interface ContainerState {
  name: string;
  created: number;
  blobs: BlobState[];
}

/** A contained database user (`CREATE USER [name] FROM EXTERNAL PROVIDER`). */
export interface SqlUserState {
  name: string;
  /** Object id (as the SID) of the Entra principal. */
  objectId: string;
  roles: string[];
}

/** A column of a lab table, with its SQL type (int, bigint, bit, nvarchar). */
export interface SqlColumnState {
  name: string;
  type: 'int' | 'bigint' | 'bit' | 'nvarchar';
  nullable: boolean;
  /** nvarchar: the declared length in characters. */
  length?: number;
}

/** A table in a database (the sample table, or one CREATE TABLE made). */
export interface SqlTableState {
  name: string;
  /** Declared columns; tables saved before the lab kept them have none (their types are inferred). */
  columns?: SqlColumnState[];
  rows: Array<Record<string, string | number | null>>;
}

/** Data-plane contents, kept per resource id (lower-cased key). */
export interface DataPlaneState {
  secrets?: SecretState[];
  containers?: ContainerState[];
  sqlUsers?: SqlUserState[];
  sqlTables?: SqlTableState[];
}

export interface RoleAssignmentState {
  /** The assignment's GUID (its ARM `name`). */
  name: string;
  scope: string;
  roleDefinitionId: string;
  principalId: string;
  principalType: 'User' | 'Group' | 'ServicePrincipal' | 'ForeignGroup' | 'Device';
  description?: string;
  createdOn: number;
  createdBy: string;
  /** With realistic RBAC propagation: the lab time from which decisions see this assignment (absent: at once). */
  inEffectFrom?: number;
}

/** A deleted role assignment that decisions still see until its removal has propagated (realistic propagation). */
export interface RemovedRoleAssignmentState extends RoleAssignmentState {
  removedOn: number;
  /** Lab time until which decisions still see it. */
  inEffectUntil: number;
}

/** A direct member of a group, and when it was added (lab time): tokens issued before then do not carry the group. */
export interface GroupMemberState {
  objectId: string;
  addedAt: number;
}

/** A Microsoft Entra security group. Members are users, service principals (managed identities too) and other groups. */
export interface GroupState {
  objectId: string;
  displayName: string;
  mailNickname: string;
  description?: string;
  createdAt: number;
  members: GroupMemberState[];
}

/** How soon role assignment changes reach decisions: at once (the lab's default) or after a delay, as on Azure. */
export interface RbacPropagationSettings {
  mode: 'instant' | 'realistic';
  /** The delay in realistic mode (Azure documents "up to 10 minutes"). */
  delaySeconds: number;
}

/** A custom role (built-in roles are data: rbac/builtInRoles.ts). */
export interface CustomRoleState {
  name: string;
  roleName: string;
  description: string;
  permissions: Array<{ actions: string[]; notActions: string[]; dataActions: string[]; notDataActions: string[] }>;
  assignableScopes: string[];
  createdOn: number;
}

/** Faults a lesson switches on for one compute host's managed-identity endpoint. */
export interface HostFaults {
  /** Enforce IMDS's limits for the identity category: 20 requests/s and 5 concurrent, else 429. */
  throttle: boolean;
  /** Answer every token request with this failure instead (IMDS updating, an outage…). */
  failure?: 'gone410' | 'notFound404' | 'serverError500';
  /** Extra delay before answering, milliseconds. */
  latencyMs: number;
}

export interface LabSettings {
  /** Lifetime of managed-identity access tokens, seconds (Azure: about 24 hours). */
  tokenLifetimeSeconds: number;
  /** Whether hosts without fault settings of their own are throttled as IMDS throttles (absent: yes, as on Azure). */
  imdsThrottlingByDefault?: boolean;
  rbacPropagation: RbacPropagationSettings;
}

/** Where the learner is with one scenario. Kept across resets and undo: it is what they learned, not lab state. */
export interface ScenarioProgressState {
  /** When it was first started (lab time). */
  startedAt: number;
  /** When a check first found it solved; a solved scenario stays solved. */
  solvedAt?: number;
  /** How many of its hints were shown (the next `hint` shows one more). */
  hintsUsed: number;
  /** What the latest check said. */
  lastOutcome?: 'solved' | 'not-yet' | 'too-broad';
  checks: number;
  /** The reference solution was shown or applied. */
  solutionShown?: boolean;
}

/** The scenario running now, and the learner's own lab, set aside until it stops. */
export interface ActiveScenarioState {
  id: string;
  /** Lab time it started: checks read only what happened since. */
  startedAt: number;
  /** The app's environment as the learner set it (on top of the scenario's own), for the workload's runs. */
  environment: Record<string, string>;
  /** The role assignments the scenario's setup made (by name): what the learner did is the rest. */
  setupAssignments?: string[];
  /** Access tokens the workload's app kept from when it started, by host name (a workload with `holdToken`). */
  heldTokens?: Record<string, string>;
  /** The learner's lab as it was when the scenario started, without its own `scenarios`. */
  setAside: LabState;
}

export interface ScenariosState {
  progress: Record<string, ScenarioProgressState>;
  /** The walkthrough's steps the lab has seen done (ids of engine/scenarios/walkthrough.ts), kept across reloads. */
  walkthrough?: string[];
  active?: ActiveScenarioState;
}

export interface LabStateV3 {
  schemaVersion: 3;
  tenant: TenantState;
  user: UserState;
  subscriptions: SubscriptionState[];
  resourceGroups: ResourceGroupState[];
  resources: ResourceState[];
  servicePrincipals: ServicePrincipalState[];
  /** App registrations (absent in labs that never had one). */
  applications?: ApplicationState[];
  roleDefinitions: CustomRoleState[];
  roleAssignments: RoleAssignmentState[];
  /** Deleted assignments whose removal has not propagated yet (realistic propagation); empty otherwise. */
  removedRoleAssignments: RemovedRoleAssignmentState[];
  /** Security groups of the tenant. */
  groups: GroupState[];
  dataPlane: Record<string, DataPlaneState>;
  signingKeys: SigningKeyState[];
  /** The key the lab's workload-identity (AKS OIDC) issuers sign service-account tokens with. */
  workloadIssuerKey?: SigningKeyState;
  /** Random secret from which per-host endpoint secrets are derived (base64). */
  secretSeed?: string;
  /** The lab's CA and HTTPS certificate; created when the endpoints first start. */
  tls?: TlsState;
  /** Per-host faults, keyed by the host's lower-cased ARM id. Hosts not listed use the defaults. */
  faults?: Record<string, HostFaults>;
  settings: LabSettings;
  /** The lab clock: real time, ahead of it, or paused. */
  clock: ClockState;
  /** Scenario progress and the running scenario (absent until one was started). */
  scenarios?: ScenariosState;
}

export type LabState = LabStateV3;

// What readers are handed: the same shapes, read-only all the way down.
export type ReadonlyResource = DeepReadonly<ResourceState>;
export type ReadonlyResourceGroup = DeepReadonly<ResourceGroupState>;
export type ReadonlySubscription = DeepReadonly<SubscriptionState>;
export type ReadonlyRoleAssignment = DeepReadonly<RoleAssignmentState>;
export type ReadonlyServicePrincipal = DeepReadonly<ServicePrincipalState>;
export type ReadonlyApplication = DeepReadonly<ApplicationState>;
export type ReadonlyCustomRole = DeepReadonly<CustomRoleState>;
export type ReadonlyFederatedCredential = DeepReadonly<FederatedCredentialState>;
export type ReadonlyGroup = DeepReadonly<GroupState>;
export type ReadonlyRemovedRoleAssignment = DeepReadonly<RemovedRoleAssignmentState>;
export type ReadonlyScenarios = DeepReadonly<ScenariosState>;

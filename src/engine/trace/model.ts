// A trace is what happened during one flow (a token request, a service call with its
// challenge and retry…): ordered messages between participants. Traces drive the
// sequence diagrams, the Activity view and diagnosis: a failed trace carries the facts of
// its refusal (which rule of which endpoint refused, for whom, which action at which scope).
import type { Plane } from '../azure/permissions';

/** The label of the step where a managed-identity endpoint answers from its cache (Entra is not asked). */
export const CACHE_HIT_LABEL = 'token served from the endpoint cache';

export type ParticipantKind =
  'app' | 'user' | 'imds' | 'identityEndpoint' | 'entra' | 'keyvault' | 'storage' | 'arm' | 'sql' | 'lab' | 'cli';

export interface Participant {
  /** Stable within the trace, safe as a Mermaid id (letters and digits only). */
  id: string;
  kind: ParticipantKind;
  /** What the participant is, in words (e.g. `App on vm1`); rendered escaped. */
  label: string;
  resourceId?: string;
}

/** An HTTP exchange as shown to the learner. Secrets are redacted before they get here. */
export interface HttpExchange {
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  status?: number;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
}

export interface DecodedToken {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

export interface AuthorizationNote {
  /** Who decided, when it is not Azure RBAC (Azure SQL's logins: its admin and contained users). */
  decidedBy?: string;
  allowed: boolean;
  action: string;
  scope: string;
  /** One line per reason: the assignment that granted, or why nothing did. */
  reasons: string[];
  /** Whose access was decided (object id). */
  principalId?: string;
  /** Set for Azure RBAC decisions: the plane the action was evaluated in (absent for access policies and SQL). */
  plane?: Plane;
}

/**
 * The rule an endpoint refused a request by. Diagnosis reads these facts, not the error text.
 * - `rbac`: no role assignment grants the action at the scope; `accessPolicy`: a vault in
 *   access-policy mode has no policy granting it.
 * - `audience`, `issuer`, `tokenExpired`, `tokenInvalid`, `tokenMissing`: the bearer token.
 * - `noManagedIdentity`: the host has none; `identityNotAssigned`: the request named an identity
 *   the host does not have; `identityDeleted`: attached, but its principal is gone;
 *   `multipleUserAssigned`: several, none named; `userAssignedNotNamed`: App Service never picks one.
 * - `throttled`, `endpointProtocol` (headers, api-version, parameters), `endpointFault` (410/404/500).
 * - `resourceNotFound`: AADSTS500011; `entra`: another AADSTS error (its code in `errorCode`).
 * - `sqlLogin`, `sqlPermission`; `principalNotFound` (a role assignment's principal); `notFound`
 *   (a secret, blob, container or database); `other`.
 */
export type RefusalRule =
  | 'rbac'
  | 'accessPolicy'
  | 'audience'
  | 'issuer'
  | 'tokenExpired'
  | 'tokenInvalid'
  | 'tokenMissing'
  | 'noManagedIdentity'
  | 'identityNotAssigned'
  | 'identityDeleted'
  | 'multipleUserAssigned'
  | 'userAssignedNotNamed'
  | 'throttled'
  | 'endpointProtocol'
  | 'endpointFault'
  | 'resourceNotFound'
  | 'entra'
  | 'sqlLogin'
  | 'sqlPermission'
  | 'principalNotFound'
  | 'notFound'
  | 'other';

export interface Refusal {
  rule: RefusalRule;
  /** The kind of endpoint that refused. */
  by: ParticipantKind;
  /** Azure's error code as the caller saw it (e.g. `ForbiddenByRbac`, `AADSTS700024`, `18456`). */
  errorCode?: string;
  /** The principal refused (object id), and its client id when known. */
  principalId?: string;
  clientId?: string;
  /** For `rbac`: the action and scope decided, and the plane. */
  action?: string;
  scope?: string;
  plane?: Plane;
  /** The audience: requested (token endpoints) or presented (services). */
  audience?: string;
  /** How the request named its identity (`client_id`…), if it did. */
  selector?: { by: 'clientId' | 'objectId' | 'resourceId'; value: string };
  /** The compute resource the request ran as. */
  hostResourceId?: string;
  /** The resource the request was about (vault, storage account, database, role assignment scope). */
  targetResourceId?: string;
  /** More facts in words (e.g. which parameter was missing). */
  detail?: string;
}

export interface TraceMessage {
  from: string;
  to: string;
  /** Arrow text; rendered escaped. */
  label: string;
  kind: 'request' | 'response' | 'internal';
  /** HTTP status of a response. */
  status?: number | undefined;
  /** Azure's error code, e.g. `bad_request_102`, `ForbiddenByRbac`. */
  errorCode?: string | undefined;
  failed: boolean;
  /** Milliseconds since the trace started, in real time (so timings stay true while the lab clock is paused). */
  at: number;
  /** The lab's time when it happened (ms since the epoch): what the lab clock said. */
  labTime: number;
  /** Short facts worth a note on the diagram (audience, identity, decision). */
  notes?: string[] | undefined;
  http?: HttpExchange | undefined;
  token?: DecodedToken | undefined;
  authorization?: AuthorizationNote | undefined;
  /** Every access check the request made, in order, when there were several (ARM: a write and its linked check). */
  checks?: AuthorizationNote[] | undefined;
}

export interface Trace {
  id: string;
  /** e.g. `Token for https://vault.azure.net as vm1`. */
  title: string;
  /** Lab time the flow started (ms since the epoch). */
  startedAt: number;
  /** How long the flow took, in real time. */
  durationMs: number;
  participants: Participant[];
  messages: TraceMessage[];
  outcome: 'success' | 'failure';
  /** Final HTTP status the caller saw. */
  status?: number;
  errorCode?: string;
  /** ARM id of the compute resource the caller ran as, when known. */
  hostResourceId?: string;
  /** For failures: what refused the request and why, as facts. */
  refusal?: Refusal;
  /** Set when the app ran on the learner's own machine (`milab env --as local`), not as a lab host. */
  yourMachine?: true;
  /** For a DefaultAzureCredential chain the lab saw: each attempt it could see, timed in real ms from the trace's start. */
  chainAttempts?: ChainAttempt[];
}

export interface ChainAttempt {
  /** The SDK credential behind it, e.g. `ManagedIdentityCredential` (its IMDS probe) or `AzureCliCredential` (az). */
  credential: string;
  startedMs: number;
  durationMs: number;
  outcome: 'answered' | 'unavailable';
}

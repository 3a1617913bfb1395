// A trace is what happened during one flow (a token request, a service call with its
// challenge and retry…): ordered messages between participants. Traces drive the
// sequence diagrams, the Activity view and diagnosis.

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
  allowed: boolean;
  action: string;
  scope: string;
  /** One line per reason: the assignment that granted, or why nothing did. */
  reasons: string[];
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

// A trace is what happened during one flow (a token request, a service call with its
// challenge and retry…): ordered messages between participants. Traces drive the
// sequence diagrams, the Activity view and diagnosis.

export type ParticipantKind = 'app' | 'user' | 'imds' | 'identityEndpoint' | 'entra' | 'keyvault' | 'storage' | 'arm' | 'sql' | 'lab';

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
  /** Milliseconds since the trace started. */
  at: number;
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
  startedAt: number;
  durationMs: number;
  participants: Participant[];
  messages: TraceMessage[];
  outcome: 'success' | 'failure';
  /** Final HTTP status the caller saw. */
  status?: number;
  errorCode?: string;
  /** ARM id of the compute resource the caller ran as, when known. */
  hostResourceId?: string;
}

// The diagnosis API, for every surface (CLI, VS Code, the lab terminal) and for scenario
// authors who build hints on it: a Finding says what is wrong (a category, in the lab's words),
// what was read to say so (evidence), and how to fix it (fixes: engine actions as data, each
// rendered with its `az` twin by the az layer). Findings come ranked, best first.
import type { Category } from './categories';
import type { IdentitySelector } from '../services/managedIdentity/acquire';

/** One fact read from the text or the trace, and what it is in the lab when it names something there. */
export interface Evidence {
  /** What kind of fact: `status`, `error code`, `AADSTS`, `object id`, `action`, `scope`, `credential`… */
  label: string;
  /** The value as read (redacted values are shown as the text had them). */
  value: string;
  /** The lab object it matches, in the lab's words (e.g. "vm-web's system-assigned identity"). */
  inLab?: string;
}

/** A request the app makes, as the lab's host adapter runs it over real HTTP (src/host/workload.ts). */
export type Workload =
  | {
      kind: 'token';
      hostId: string;
      resource: string;
      identity?: IdentitySelector;
      /** Leave out the Metadata header (IMDS refuses the request). */
      withoutMetadataHeader?: boolean;
      /** Ask this many times in a row (to meet IMDS's rate limit). */
      repeat?: number;
      /** Wait this long first (backing off after a 429). */
      waitMs?: number;
    }
  | { kind: 'readSecret'; hostId: string; vault: string; secret: string; identity?: IdentitySelector; audience?: string }
  | { kind: 'readBlob'; hostId: string; account: string; container: string; blob: string; identity?: IdentitySelector }
  | { kind: 'writeBlob'; hostId: string; account: string; container: string; blob: string; text: string; identity?: IdentitySelector }
  | { kind: 'arm'; hostId: string; method: 'GET' | 'PUT'; path: string; body?: Record<string, unknown>; identity?: IdentitySelector }
  | { kind: 'sqlQuery'; hostId: string; server: string; database: string; query: string; identity?: IdentitySelector }
  | {
      kind: 'clientCredentials';
      clientId: string;
      scope: string;
      /** A client secret (an app registration). */
      secret?: string;
      /** A service-account token minted by one of the lab's AKS clusters, as workload identity presents it. */
      serviceAccount?: { clusterId: string; namespace: string; name: string; expired?: boolean };
    };

/** An engine action a fix runs. Every kind maps to an engine operation; `rerun` repeats the app's request, changed. */
export type FixAction =
  | { kind: 'createRoleAssignment'; principalId: string; principalType: 'ServicePrincipal' | 'User' | 'Group'; role: string; scope: string }
  | { kind: 'deleteRoleAssignment'; name: string; scope: string; role: string; principalId: string }
  | { kind: 'enableSystemAssigned'; resourceId: string }
  | { kind: 'assignUserIdentities'; resourceId: string; identityIds: string[] }
  | { kind: 'createSqlUser'; server: string; database: string; userName: string; roles: string[] }
  | { kind: 'addFederatedCredential'; target: string; name: string; issuer: string; subject: string }
  | { kind: 'addClientSecret'; appId: string }
  | { kind: 'setKeyVaultAccessPolicy'; vaultName: string; objectId: string; secretPermissions: string[] }
  /** The lab's own fault switch (Set Endpoint Faults): there is no such thing on Azure. */
  | { kind: 'clearEndpointFault'; hostId: string }
  | { kind: 'rerun'; workload: Workload };

export interface Fix {
  title: string;
  /** What the fix does, as data; absent for advice the lab cannot carry out. */
  action?: FixAction;
  /** False when the text left placeholders (an id it redacted), or the lab cannot run it: then it is shown, not offered. */
  runnable: boolean;
}

export interface Finding {
  category: Category;
  /** One line, in the lab's words when the text names lab objects. */
  title: string;
  /** What happened and why, in plain words. */
  explanation: string;
  evidence: Evidence[];
  fixes: Fix[];
  /** Ranking score (0–1): how specifically the evidence points at this category. */
  confidence: number;
  /** Where the facts came from. */
  source: 'text' | 'trace';
  /** For trace findings: the trace diagnosed. */
  traceId?: string;
}

export interface Diagnosis {
  /** Best first; at least one (category `unknown` when nothing matched, saying what was looked for). */
  findings: Finding[];
  /** How much of the text was read (a paste beyond the limit is cut, and says so in its evidence). */
  charactersRead: number;
}

// What diagnosis reasons about: symptoms, each a fact read from a pasted text (readText.ts)
// or from a failed trace's refusal (readTrace.ts). Both sources meet here, so the same rules
// classify a real SDK's error and a failure the lab produced.
import type { Evidence } from './model';
import type { IdentitySelector } from '../services/managedIdentity/acquire';

export type Service = 'keyvault' | 'storage' | 'arm' | 'sql';

/** One credential of a DefaultAzureCredential / ChainedTokenCredential chain and how it failed. */
export interface ChainEntry {
  /** e.g. `ManagedIdentityCredential`, `AzureCliCredential`. */
  credential: string;
  outcome:
    'notConfigured' | 'notInstalled' | 'notLoggedIn' | 'noEndpoint' | 'identityNotAssigned' | 'multipleIdentities' | 'failed' | 'other';
  /** Its message, shortened. */
  message: string;
}

export type MiHow = 'notAssigned' | 'noIdentity' | 'deleted' | 'userAssignedNotNamed' | 'unknown';

export type Symptom = { evidence: Evidence[] } & (
  | { kind: 'entra'; code: number; message?: string; clientId?: string; issuer?: string; subject?: string; audience?: string }
  | { kind: 'resourceNotFound'; resource?: string }
  | {
      kind: 'rbacDenied';
      service: Exclude<Service, 'sql'>;
      /** Weak: the text only says 403/Forbidden near the service's name. */
      strong: boolean;
      principalId?: string;
      clientId?: string;
      callerName?: string;
      action?: string;
      scope?: string;
      /** ARM's LinkedAuthorizationFailed: the second permission a write needs. */
      linked?: { action: string; scope: string; primaryAction?: string; primaryScope?: string };
      vaultName?: string;
      accountName?: string;
      /** Key Vault in access-policy mode: the permission missing, or an on-behalf-of requirement. */
      accessPolicy?: { permission?: string; objectType?: string; obo?: boolean };
      hostId?: string;
    }
  | { kind: 'wrongAudience'; service: Service | 'unknown'; found?: string; expected?: string; principalId?: string; hostId?: string }
  | { kind: 'tokenExpired'; service: Service | 'unknown' }
  | { kind: 'tokenMissing'; service: Service | 'unknown' }
  | { kind: 'miIdentityNotFound'; how: MiHow; strong: boolean; selector?: IdentitySelector; hostId?: string }
  | { kind: 'miMultiple'; hostId?: string }
  | { kind: 'miUnavailable'; how: 'noEndpoint' | 'unreachable' | 'timeout' | 'noIdentity'; hostId?: string }
  | { kind: 'miThrottled'; hostId?: string }
  | { kind: 'miBadRequest'; detail: string; hostId?: string }
  | { kind: 'miTransient'; status?: number; hostId?: string }
  | { kind: 'chain'; header: boolean; entries: ChainEntry[]; developerMachine: boolean; signals: string[] }
  | { kind: 'notLoggedIn'; tool: string }
  | {
      kind: 'sqlLogin';
      how: 'noUser' | 'notConfigured' | 'invalidToken' | 'expired' | 'unknown';
      principalId?: string;
      database?: string;
      hostId?: string;
    }
  | { kind: 'principalNotFound'; value?: string; scope?: string }
  | { kind: 'notIdentity'; what: string; explanation: string }
);

export type SymptomKind = Symptom['kind'];
export type SymptomOf<K extends SymptomKind> = Extract<Symptom, { kind: K }>;

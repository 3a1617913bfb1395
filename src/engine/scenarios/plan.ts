// A scenario's workload as the requests its app makes, resolved against the lab as it is now and
// the app's environment (its settings, which the learner changes): the host adapter runs them over
// the lab's real endpoints (src/host/scenarioRun.ts), so every one is traced and drawn.
import type { Lab } from '../lab/lab';
import type { Workload } from '../diagnosis/model';
import type { IdentitySelector } from '../services/managedIdentity/acquire';
import type { ReadonlyResource } from '../state/labState';
import { resourceTypeOf } from '../azure/resourceTypes';
import type { ScenarioAction, ScenarioWorkload } from './types';
import { named } from './kit';

/** The app's own settings a workload reads, and what each means (the learner sets them with `scenario env`). */
export const APP_SETTINGS: Readonly<Record<string, string>> = {
  AZURE_CLIENT_ID: "which user-assigned identity the SDK asks for (IMDS's client_id); unset: the endpoint's default",
  KEYVAULT_TOKEN_RESOURCE: 'the resource the app asks a token for before it calls Key Vault',
  TOKEN_SOURCE:
    "where the app's code asks for its token: imds (169.254.169.254, the course's curl), identity-endpoint " +
    '(IDENTITY_ENDPOINT with its X-IDENTITY-HEADER, as App Service sets them) or sdk (ManagedIdentityCredential reads them)',
  TOKEN_CACHE: 'on: the app keeps its token until it nears expiry; off: it asks for one before every call',
  TOKEN_RETRY:
    'backoff: after a 429 the app waits (longer each time) and tries again; immediate: it tries again at once; none: it gives up',
  TOKEN_FILE_READ:
    'once: the app read its projected service-account token (AZURE_FEDERATED_TOKEN_FILE) when it started, two hours ago; ' +
    'each-request: it reads the file before every token request, as WorkloadIdentityCredential does',
  TOKEN_SCOPE: 'the scope the app asks Microsoft Entra ID for',
};

export type PlannedRequest =
  | { kind: 'workload'; workload: Workload }
  /** Operations that each need a token; with `cache` the app asks once and reuses it; `retry` is what it does after a 429. */
  | {
      kind: 'tokenBurst';
      hostId: string;
      resource: string;
      count: number;
      parallel: number;
      cache: boolean;
      retry: 'none' | 'backoff' | 'immediate';
      identity?: IdentitySelector;
    }
  /**
   * The app reads a secret with the token it got when it started (asking for one only if it has none). When Key
   * Vault refuses that token as expired, the app is restarted: it asks for a new token and reads again.
   */
  | { kind: 'heldTokenSecretRead'; hostId: string; vault: string; secret: string; identity?: IdentitySelector }
  /** A hard-coded IMDS request (169.254.169.254) from a host whose platform has no IMDS. */
  | { kind: 'imdsRequest'; hostId: string; resource: string }
  /** Nothing can run: the host is gone, or it is not one of the lab's. */
  | { kind: 'missing'; reason: string };

export interface PlannedStep {
  host: string;
  did: string;
  request: PlannedRequest;
}

export interface WorkloadPlan {
  steps: PlannedStep[];
  /** Set when the lab cannot run the workload for the learner (it runs on their machine). */
  notRunHere?: string;
}

const COMPUTE = ['vm', 'vmss', 'webapp', 'functionapp', 'aks', 'containerapp', 'containerinstance'];

function hostNamed(lab: Lab, name: string): ReadonlyResource | undefined {
  for (const type of COMPUTE) {
    const found = named(lab, type, name);
    if (found) return found;
  }
  return undefined;
}

const retryOf = (value: string | undefined): 'none' | 'backoff' | 'immediate' => {
  const v = value?.trim().toLowerCase();
  return v === 'backoff' || v === 'immediate' ? v : 'none';
};

const resourceOfScope = (scope: string): string => scope.replace(/\/\.default$/, '');

export function planWorkload(lab: Lab, workload: ScenarioWorkload, environment: Readonly<Record<string, string>>): WorkloadPlan {
  if (workload.runsAs === 'local') {
    return { steps: [], notRunHere: 'This app runs on your machine (milab env --as local): run it, then check.' };
  }
  const clientId = environment['AZURE_CLIENT_ID']?.trim();
  const identity: IdentitySelector | undefined = clientId ? { by: 'clientId', value: clientId } : undefined;
  const steps: PlannedStep[] = [];
  for (const hostName of [workload.runsAs, ...(workload.alsoRunsOn ?? [])]) {
    const host = hostNamed(lab, hostName);
    if (!host) {
      steps.push({
        host: hostName,
        did: `the app on ${hostName}`,
        request: { kind: 'missing', reason: `the lab has no ${hostName} any more` },
      });
      continue;
    }
    for (const action of flatten(workload.action)) steps.push(...stepsFor(lab, host, action, environment, identity));
  }
  return { steps };
}

type SingleAction = Exclude<ScenarioAction, { kind: 'sequence' }>;
const flatten = (action: ScenarioAction): SingleAction[] => (action.kind === 'sequence' ? action.steps.flatMap(flatten) : [action]);

function stepsFor(
  lab: Lab,
  host: ReadonlyResource,
  action: SingleAction,
  environment: Readonly<Record<string, string>>,
  identity: IdentitySelector | undefined,
): PlannedStep[] {
  const on = { ...(identity ? { identity } : {}) };
  const step = (did: string, request: PlannedRequest): PlannedStep => ({ host: host.name, did: `${host.name} ${did}`, request });
  const endpoint = resourceTypeOf(host.type, host.kind)?.tokenEndpoint;
  switch (action.kind) {
    case 'readSecret': {
      const source = environment['TOKEN_SOURCE']?.trim().toLowerCase();
      if (source === 'imds' && endpoint === 'identityEndpoint') {
        return [
          step('asks 169.254.169.254 for a Key Vault token', { kind: 'imdsRequest', hostId: host.id, resource: 'https://vault.azure.net' }),
        ];
      }
      if (action.holdToken) {
        return [
          step(`reads ${action.secret} from ${action.vault} with the token it got when it started`, {
            kind: 'heldTokenSecretRead',
            hostId: host.id,
            vault: action.vault,
            secret: action.secret,
            ...on,
          }),
        ];
      }
      const audience = environment['KEYVAULT_TOKEN_RESOURCE']?.trim();
      return [
        step(`reads ${action.secret} from ${action.vault}`, {
          kind: 'workload',
          workload: {
            kind: 'readSecret',
            hostId: host.id,
            vault: action.vault,
            secret: action.secret,
            ...on,
            ...(audience ? { audience } : {}),
          },
        }),
      ];
    }
    case 'getToken':
      return [
        step(`gets a token for ${action.scope}`, {
          kind: 'workload',
          workload: { kind: 'token', hostId: host.id, resource: resourceOfScope(action.scope), ...on },
        }),
      ];
    case 'readVault': {
      const vault = named(lab, 'keyvault', action.vault);
      if (!vault) {
        return [step(`reads ${action.vault}'s properties`, { kind: 'missing', reason: `the lab has no Key Vault ${action.vault}` })];
      }
      return [
        step(`reads ${action.vault}'s properties from ARM`, {
          kind: 'workload',
          workload: { kind: 'arm', hostId: host.id, method: 'GET', path: `${vault.id}?api-version=2023-07-01`, ...on },
        }),
      ];
    }
    case 'readBlob':
      return [
        step(`reads ${action.container}/${action.blob} from ${action.account}`, {
          kind: 'workload',
          workload: { kind: 'readBlob', hostId: host.id, account: action.account, container: action.container, blob: action.blob, ...on },
        }),
      ];
    case 'writeBlob':
      return [
        step(`writes ${action.container}/${action.blob} to ${action.account}`, {
          kind: 'workload',
          workload: {
            kind: 'writeBlob',
            hostId: host.id,
            account: action.account,
            container: action.container,
            blob: action.blob,
            text: action.text,
            ...on,
          },
        }),
      ];
    case 'sqlQuery':
      return [
        step(`queries ${action.server}/${action.database}`, {
          kind: 'workload',
          workload: { kind: 'sqlQuery', hostId: host.id, server: action.server, database: action.database, query: action.query, ...on },
        }),
      ];
    case 'tokenBurst':
      return [
        step(`handles ${action.count} requests, each needing a token`, {
          kind: 'tokenBurst',
          hostId: host.id,
          resource: resourceOfScope(action.scope),
          count: action.count,
          parallel: action.parallel,
          cache: environment['TOKEN_CACHE']?.trim().toLowerCase() === 'on',
          retry: retryOf(environment['TOKEN_RETRY']),
          ...on,
        }),
      ];
    case 'federatedToken': {
      const cluster = named(lab, 'aks', action.cluster);
      const uami = named(lab, 'identity', action.identity);
      if (!cluster || !uami?.managedIdentity) {
        const reason = !cluster ? `the lab has no AKS cluster ${action.cluster}` : `the lab has no identity ${action.identity}`;
        return [step('exchanges its service-account token', { kind: 'missing', reason })];
      }
      const scope = environment['TOKEN_SCOPE']?.trim() || action.scope;
      const fresh = (environment['TOKEN_FILE_READ'] ?? 'each-request').trim().toLowerCase() !== 'once';
      return [
        step(`(pod ${action.namespace}/${action.serviceAccount}) exchanges its service-account token for ${scope}`, {
          kind: 'workload',
          workload: {
            kind: 'clientCredentials',
            clientId: uami.managedIdentity.clientId,
            scope,
            serviceAccount: {
              clusterId: cluster.id,
              namespace: action.namespace,
              name: action.serviceAccount,
              ...(fresh ? {} : { expired: true }),
            },
          },
        }),
      ];
    }
  }
}

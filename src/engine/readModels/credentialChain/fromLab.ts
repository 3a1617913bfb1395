// Where a chain runs, read from the lab: a compute host with its endpoint and identities, or
// "your machine"; and a chain request built from a trace — measured timings when the lab saw a
// DefaultAzureCredential chain on your machine, the host and its client_id when a token request failed.
import type { Lab } from '../../lab/lab';
import type { Trace } from '../../trace/model';
import { resolveComputeResource } from '../../lab/resolveComputeResource';
import { resourceTypeOf } from '../../azure/resourceTypes';
import type { ChainEnvironment, ChainRequest, ChainVariables } from './evaluate';
import type { CredentialName, SdkLanguage } from './languages';

export const YOUR_MACHINE = 'local';

export type ChainEnvironmentResult = { ok: true; environment: ChainEnvironment } | { ok: false; message: string };

/** `local` (your machine) or a compute resource's name or id. */
export function chainEnvironmentOf(lab: Lab, target: string): ChainEnvironmentResult {
  if (target === YOUR_MACHINE) {
    return { ok: true, environment: { kind: 'local', cli: 'lab', learner: lab.directory.user.userPrincipalName } };
  }
  const resolved = resolveComputeResource(lab, target);
  if (!resolved.ok) return resolved;
  const host = resolved.host;
  const info = resourceTypeOf(host.type, host.kind);
  if (info?.tokenEndpoint !== 'imds' && info?.tokenEndpoint !== 'identityEndpoint') {
    return { ok: false, message: `a ${info?.displayName ?? host.type} has no token endpoint for your code, so no SDK chain runs there.` };
  }
  return {
    ok: true,
    environment: {
      kind: 'host',
      name: host.name,
      typeName: info.displayName,
      endpoint: info.tokenEndpoint,
      systemAssigned: Boolean(host.identity?.systemAssigned),
      userAssigned: (host.identity?.userAssigned ?? []).map(u => ({
        clientId: u.clientId,
        name: u.resourceId.split('/').pop() ?? u.clientId,
      })),
    },
  };
}

/** The chain behind a trace: measured on your machine, or inferred for the host a token request ran on. */
export function chainRequestForTrace(lab: Lab, trace: Trace, language: SdkLanguage = 'js'): ChainRequest | undefined {
  if (trace.yourMachine) {
    const measured: Partial<Record<CredentialName, number>> = {};
    for (const a of trace.chainAttempts ?? []) measured[a.credential as CredentialName] = a.durationMs;
    const variables: ChainVariables = {};
    // No probe seen, yet az answered: the managed-identity step was left out (AZURE_TOKEN_CREDENTIALS=dev or AzureCliCredential).
    if (!trace.chainAttempts?.some(a => a.credential === 'ManagedIdentityCredential')) variables.AZURE_TOKEN_CREDENTIALS = 'dev';
    return { language, environment: { kind: 'local', cli: 'lab', learner: lab.directory.user.userPrincipalName }, variables, measured };
  }
  if (!trace.hostResourceId) return undefined;
  const environment = chainEnvironmentOf(lab, trace.hostResourceId);
  if (!environment.ok) return undefined;
  const url = trace.messages.find(m => m.http)?.http?.url ?? '';
  const clientId = /[?&]client_id=([^&]+)/i.exec(url)?.[1];
  return { language, environment: environment.environment, variables: clientId ? { AZURE_CLIENT_ID: decodeURIComponent(clientId) } : {} };
}

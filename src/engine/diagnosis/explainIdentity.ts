// Explaining managed-identity failures — no identity answers, the identity asked for is not
// the host's, several identities and none named, throttling, protocol errors, an endpoint
// that is updating — and credential chains where every credential was unavailable.
import type { Fix, Workload } from './model';
import type { ChainEntry, SymptomOf } from './symptoms';
import { sentence, type DiagnosisContext, type FindingDraft } from './context';
import { describePrincipal, hostsOf, principalInLab } from './bind';
import { describeOutcome } from './credentialChain';
import type { Lab } from '../lab/lab';
import type { ReadonlyResource } from '../state/labState';
import { resourceTypeOf } from '../azure/resourceTypes';
import { sameId, tryParseResourceId } from '../azure/resourceId';
import { userAssignedIdentityByIdOrClientId } from '../operations/applications';
import { isGuid } from '../base/ids';

/** The compute resource the failure happened on: from the trace, else what the text names (one host only). */
export function hostFor(ctx: DiagnosisContext, hostId?: string): ReadonlyResource | undefined {
  const lab = ctx.lab;
  if (!lab) return undefined;
  if (hostId) return lab.arm.resource(hostId);
  const candidates = new Map<string, ReadonlyResource>();
  for (const id of ctx.names?.resourceIds ?? []) {
    const resource = tryParseResourceId(id) ? lab.arm.resource(id) : undefined;
    if (resource && resourceTypeOf(resource.type, resource.kind)?.role === 'compute') candidates.set(resource.id, resource);
    if (resource && resourceTypeOf(resource.type)?.key === 'identity' && resource.managedIdentity) {
      for (const host of hostsOf(lab, resource.managedIdentity.principalId)) candidates.set(host.id, host);
    }
  }
  for (const guid of ctx.names?.guids ?? []) {
    const principal = principalInLab(lab, { principalId: guid, clientId: guid });
    if (principal) for (const host of hostsOf(lab, principal.objectId)) candidates.set(host.id, host);
  }
  return candidates.size === 1 ? [...candidates.values()][0] : undefined;
}

const typeName = (r: ReadonlyResource) => resourceTypeOf(r.type, r.kind)?.displayName ?? r.type;

function enableFix(host: ReadonlyResource | undefined): Fix {
  return {
    title: host
      ? `Turn on ${host.name}'s system-assigned identity`
      : "Turn on the resource's managed identity (system-assigned, or attach a user-assigned one)",
    ...(host ? { action: { kind: 'enableSystemAssigned' as const, resourceId: host.id } } : {}),
    runnable: !!host && !!resourceTypeOf(host.type, host.kind)?.systemAssigned,
  };
}

const rerunFix = (title: string, workload: Workload | undefined): Fix[] =>
  workload ? [{ title, action: { kind: 'rerun', workload }, runnable: true }] : [];

export function explainUnavailable(s: SymptomOf<'miUnavailable'>, ctx: DiagnosisContext): FindingDraft {
  const host = hostFor(ctx, s.hostId);
  if (s.how === 'noIdentity' && host) {
    return {
      title: `${host.name} has no managed identity: nothing answers for it`,
      explanation:
        `The ${typeName(host)} ${host.name} has neither a system-assigned nor a user-assigned identity, so its ` +
        `managed-identity endpoint has no token to give (IMDS answers "Identity not found"). Turn its system-assigned ` +
        `identity on, or attach a user-assigned identity.`,
      evidence: [...s.evidence, { label: 'host', value: host.id, inLab: `${host.name} (${typeName(host)}): no identity` }],
      fixes: [enableFix(host)],
    };
  }
  const how =
    s.how === 'timeout'
      ? 'The managed-identity endpoint did not answer in time.'
      : s.how === 'unreachable'
        ? 'Nothing answered at the managed-identity endpoint (169.254.169.254 was unreachable, refused or timed out).'
        : 'The SDK found no managed-identity endpoint where the code runs.';
  return {
    title: host ? `No managed identity answered for ${host.name}` : 'No managed identity answered where the code runs',
    explanation: sentence(
      how,
      'Managed identities exist only on an Azure resource whose identity is turned on: on a laptop, an on-premises ' +
        'server, or a container or App Service without an identity there is no endpoint (App Service sets IDENTITY_ENDPOINT ' +
        'only when an identity is on).',
      s.how === 'timeout' &&
        "Under load, DefaultAzureCredential's 1-second IMDS probe can time out on a real VM: use ManagedIdentityCredential " +
          'directly (or AZURE_TOKEN_CREDENTIALS=ManagedIdentityCredential), which does not probe.',
      'A proxy in the way needs NO_PROXY=169.254.169.254. To run code as a lab resource from your machine, use `milab env --as <resource>`.',
    ),
    evidence: s.evidence,
    fixes: [enableFix(host)],
  };
}

export function explainIdentityNotFound(s: SymptomOf<'miIdentityNotFound'>, ctx: DiagnosisContext): FindingDraft {
  const lab = ctx.lab;
  const host = hostFor(ctx, s.hostId);
  const attached = host?.identity?.userAssigned ?? [];
  const selector = s.selector;
  const named = lab && selector ? identityNamed(lab, selector) : undefined;
  const fixes: Fix[] = [];
  let explanation: string;
  if (s.how === 'deleted' && host) {
    explanation =
      `An identity still attached to ${host.name} no longer exists in the directory: it was deleted (perhaps ` +
      `re-created under the same name, with a new client id and principal). Detach the stale reference and ` +
      `attach the identity that exists now.`;
  } else if (s.how === 'userAssignedNotNamed' && host) {
    explanation =
      `${host.name} has no system-assigned identity, and the App Service identity endpoint never picks a user-assigned ` +
      `one by itself: the request must name it (client_id, principal_id or mi_res_id; AZURE_CLIENT_ID for the ` +
      `SDK).`;
    const first = attached[0];
    if (first && ctx.workload) {
      fixes.push(...rerunFix(`Name the identity: client_id=${first.clientId}`, withIdentity(ctx.workload, first.clientId)));
    }
  } else if (host && selector) {
    explanation = sentence(
      `The request named the identity ${selector.by === 'clientId' ? 'client id' : selector.by === 'objectId' ? 'object id' : 'resource id'} ` +
        `${selector.value}, which is not attached to ${host.name}.`,
      named
        ? `It is the user-assigned identity ${named.name}; attach it to ${host.name}, or ask for one that is attached.`
        : 'No identity in the lab has that id: a stale or placeholder AZURE_CLIENT_ID, or a name where the client id belongs.',
      attached.length
        ? `Attached: ${attached.map(u => `${u.resourceId.split('/').pop()} (client id ${u.clientId})`).join(', ')}.`
        : `${host.name} has no user-assigned identities.`,
    );
    if (named) {
      fixes.push({
        title: `Attach ${named.name} to ${host.name}`,
        action: { kind: 'assignUserIdentities', resourceId: host.id, identityIds: [named.id] },
        runnable: true,
      });
    }
    const first = attached[0];
    if (first && ctx.workload) {
      fixes.push(...rerunFix(`Ask for an attached identity: client_id=${first.clientId}`, withIdentity(ctx.workload, first.clientId)));
    }
  } else {
    explanation = sentence(
      'The managed-identity endpoint answered: the identity the request asked for is not assigned to this resource ("Identity not found").',
      'The usual causes: AZURE_CLIENT_ID (or client_id / msi_res_id) names an identity that is not attached ' +
        'here — a stale id after the identity was deleted and re-created, a placeholder, or a name where the ' +
        'client id belongs; or the resource has no identity at all.',
      'Compare the id the code sends with the identities attached to the resource (az vm identity show, az webapp identity show).',
    );
    if (host) fixes.push(enableFix(host));
  }
  return {
    title: host ? `The identity asked for is not assigned to ${host.name}` : 'The identity asked for is not assigned to this resource',
    explanation,
    evidence: [
      ...s.evidence,
      ...(selector
        ? [{ label: selector.by, value: selector.value, ...(named ? { inLab: `user-assigned identity ${named.name}` } : {}) }]
        : []),
    ],
    fixes,
  };
}

function identityNamed(lab: Lab, selector: { by: string; value: string }): ReadonlyResource | undefined {
  if (selector.by === 'resourceId') return lab.arm.resources.find(r => sameId(r.id, selector.value) && r.managedIdentity);
  if (selector.by === 'clientId') return userAssignedIdentityByIdOrClientId(lab, selector.value);
  return lab.arm.resources.find(r => r.managedIdentity?.principalId.toLowerCase() === selector.value.toLowerCase());
}

function withIdentity(workload: Workload, clientId: string): Workload | undefined {
  if (workload.kind === 'clientCredentials') return undefined;
  return { ...workload, identity: { by: 'clientId', value: clientId } };
}

export function explainMultiple(s: SymptomOf<'miMultiple'>, ctx: DiagnosisContext): FindingDraft {
  const lab = ctx.lab;
  let host = hostFor(ctx, s.hostId);
  if (!host && lab) {
    const many = lab.arm.resources.filter(r => !r.identity?.systemAssigned && (r.identity?.userAssigned.length ?? 0) > 1);
    if (many.length === 1) host = many[0];
  }
  const attached = host?.identity?.userAssigned ?? [];
  // The identity to name: the one with role assignments (what the code needs), else the first.
  const withRoles = lab ? attached.find(u => lab.assignments.forPrincipal(u.principalId).length > 0) : undefined;
  const pick = withRoles ?? attached[0];
  const fixes: Fix[] = [];
  // From a pasted text the lab knows the host but not the request: the token request it stands for.
  const workload: Workload | undefined =
    ctx.workload ??
    (host && resourceTypeOf(host.type, host.kind)?.tokenEndpoint
      ? { kind: 'token', hostId: host.id, resource: ctx.names?.requestedResources[0] ?? 'https://management.azure.com/' }
      : undefined);
  if (pick && workload) {
    fixes.push(
      ...rerunFix(
        `Name the identity in the request: client_id=${pick.clientId} (AZURE_CLIENT_ID for the SDK)`,
        withIdentity(workload, pick.clientId),
      ),
    );
  }
  for (const u of attached) {
    if (u === pick && fixes.length) continue;
    fixes.push({ title: `Set AZURE_CLIENT_ID=${u.clientId} (${u.resourceId.split('/').pop()})`, runnable: false });
  }
  if (!attached.length) {
    fixes.push({ title: 'Name the identity: AZURE_CLIENT_ID=<client id> (or client_id / msi_res_id in the request)', runnable: false });
  }
  return {
    title: host
      ? `${host.name} has ${attached.length} user-assigned identities and the request named none`
      : 'Several user-assigned identities, and the request named none',
    explanation: sentence(
      host
        ? `${host.name} has no system-assigned identity and ${attached.length} user-assigned ones` +
            `${attached.length ? ` (${attached.map(u => u.resourceId.split('/').pop()).join(', ')})` : ''}.`
        : 'The resource has more than one user-assigned identity and no system-assigned one.',
      'Without client_id, object_id or msi_res_id, IMDS cannot choose, so it refuses. DefaultAzureCredential ' +
        'sends AZURE_CLIENT_ID when it is set; ManagedIdentityCredential takes the client id as an option. An ' +
        'identity added to a node pool or VM later makes working code fail "all of a sudden".',
    ),
    evidence: [
      ...s.evidence,
      ...attached.map(u => ({
        label: 'attached identity',
        value: u.clientId,
        inLab: describePrincipal(lab!, u.principalId)?.words ?? u.resourceId,
      })),
    ],
    fixes,
  };
}

export function explainThrottled(s: SymptomOf<'miThrottled'>, ctx: DiagnosisContext): FindingDraft {
  const host = hostFor(ctx, s.hostId);
  const once: Workload | undefined = ctx.workload?.kind === 'token' ? { ...ctx.workload, repeat: 1, waitMs: 1100 } : ctx.workload;
  return {
    title: `The managed-identity endpoint throttled the token requests${host ? ` of ${host.name}` : ''} (429)`,
    explanation:
      'IMDS allows 20 identity requests per second and 5 at once per VM (other hosts have their own limits); ' +
      'above that it answers 429. Create the credential once and reuse it — its cache serves a token until ' +
      'minutes before it expires — instead of a new credential (or a raw IMDS call) per request, and retry ' +
      '429 with exponential backoff.',
    evidence: s.evidence,
    fixes: rerunFix('Wait a second and ask once (what a cached credential does)', once),
  };
}

export function explainBadRequest(s: SymptomOf<'miBadRequest'>, ctx: DiagnosisContext): FindingDraft {
  const fixed: Workload | undefined = ctx.workload?.kind === 'token' ? { ...ctx.workload, withoutMetadataHeader: false } : undefined;
  return {
    title: `The managed-identity endpoint refused the request: ${s.detail}`,
    explanation:
      "The request broke the endpoint's protocol. IMDS needs the header 'Metadata: true' (which a browser or " +
      "a forwarded request cannot add — the endpoint's protection against SSRF), a supported api-version, a " +
      'resource, at most one of client_id/object_id/msi_res_id and no X-Forwarded-For; the App Service endpoint ' +
      "needs X-IDENTITY-HEADER with IDENTITY_HEADER's value. SDK credentials get this right; hand-written calls " +
      'are where it goes wrong.',
    evidence: s.evidence,
    fixes: rerunFix('Send the request as the SDK does (Metadata: true)', fixed),
  };
}

export function explainTransient(s: SymptomOf<'miTransient'>, ctx: DiagnosisContext): FindingDraft {
  return {
    title: `The managed-identity endpoint is updating or failed (${s.status ?? 'retry'})`,
    explanation:
      'IMDS answers 410 (or 404) while it is being updated — it comes back within 70 seconds — and 500 when ' +
      'its call to Microsoft Entra ID failed. Retry with exponential backoff (the SDKs retry 404, 410 and 5xx).',
    evidence: s.evidence,
    fixes: [
      ...(s.hostId && ctx.lab?.arm.resource(s.hostId)
        ? [
            {
              title: "Stop the simulated fault (the lab's Set Endpoint Faults switch)",
              action: { kind: 'clearEndpointFault' as const, hostId: s.hostId },
              runnable: true,
            },
          ]
        : []),
      ...rerunFix('Retry', ctx.workload),
    ],
  };
}

const DEVELOPER_FIXES: Record<string, string> = {
  AzureCliCredential: 'Sign in with the Azure CLI: az login',
  AzurePowerShellCredential: 'Sign in with Azure PowerShell: Connect-AzAccount',
  AzureDeveloperCliCredential: 'Sign in with the Azure Developer CLI: azd auth login',
  VisualStudioCodeCredential: 'Sign in to Azure in VS Code (the Azure Resources extension)',
  VisualStudioCredential: 'Sign in again in Visual Studio (Tools > Options > Azure Service Authentication)',
  IntelliJCredential: 'Sign in with Azure Toolkit for IntelliJ',
};

export function explainChain(s: SymptomOf<'chain'>, developer: boolean): FindingDraft {
  const managed = s.entries.find(e => e.credential === 'ManagedIdentityCredential');
  const env = s.entries.find(e => e.credential === 'EnvironmentCredential');
  const lines = s.entries.map((e: ChainEntry) => `${e.credential}: ${describeOutcome(e.outcome)}`);
  if (developer) {
    const signedOut = s.entries.filter(e => e.outcome === 'notLoggedIn' && DEVELOPER_FIXES[e.credential]);
    const fixes: Fix[] = (signedOut.length ? signedOut.map(e => e.credential) : ['AzureCliCredential']).map(c => ({
      title: DEVELOPER_FIXES[c]!,
      runnable: false,
    }));
    fixes.push({
      title: 'Or run the code as a lab resource: eval "$(milab env --as <resource>)" (a managed identity, locally)',
      runnable: false,
    });
    return {
      title: 'On a developer machine, no credential in the chain could sign in',
      explanation: sentence(
        `This ran on a developer machine (${s.signals.slice(0, 3).join('; ') || 'developer tools were tried'}).`,
        'There is no managed identity here — as expected off Azure — so the chain needs a developer credential, and none was signed in.',
        lines.length ? `The chain tried: ${lines.join('; ')}.` : undefined,
        'A credential that fails hard (a tenant it may not use, an expired refresh token) stops the chain before ' +
          'the next one is tried: sign it out or fix it, or pin the one you mean with AZURE_TOKEN_CREDENTIALS (e.g. ' +
          'AzureCliCredential).',
      ),
      evidence: s.evidence,
      fixes,
    };
  }
  const fixes: Fix[] = [];
  if (managed?.outcome === 'identityNotAssigned') {
    fixes.push({ title: 'Set AZURE_CLIENT_ID to the client id of an identity attached to this resource', runnable: false });
  }
  if (managed && managed.outcome === 'noEndpoint') {
    fixes.push({ title: "Turn on the resource's managed identity (or run where one exists)", runnable: false });
  }
  if (env?.outcome === 'notConfigured') {
    fixes.push({
      title:
        'In CI: give the job a credential — workload identity federation (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE) or AZURE_CLIENT_SECRET',
      runnable: false,
    });
  }
  fixes.push({
    title: 'Pin the credential you mean: AZURE_TOKEN_CREDENTIALS=ManagedIdentityCredential (the error then names the real cause)',
    runnable: false,
  });
  return {
    title: 'Every credential in the chain was unavailable',
    explanation: sentence(
      `${s.header ? 'DefaultAzureCredential' : 'The credential chain'} tried each credential in turn and none ` +
        `could get a token${lines.length ? `: ${lines.join('; ')}` : ''}.`,
      'Outside a developer machine (a CI job, a container, a service) the developer credentials are not expected ' +
        'to work; the token has to come from a managed identity, workload identity or environment credentials.',
      managed?.outcome === 'noEndpoint' &&
        'No managed-identity endpoint answered: this is not an Azure resource with an identity turned on, or its endpoint is blocked.',
      managed?.outcome === 'identityNotAssigned' &&
        'The managed-identity endpoint answered, but the identity asked for is not assigned to the resource: check AZURE_CLIENT_ID.',
      managed?.outcome === 'multipleIdentities' &&
        'The managed-identity endpoint found several identities and none named: set AZURE_CLIENT_ID.',
    ),
    evidence: s.evidence,
    fixes,
  };
}

export function explainNotLoggedIn(s: SymptomOf<'notLoggedIn'>): FindingDraft {
  return {
    title: `${s.tool} is not signed in`,
    explanation:
      "The credential fell back to the developer's sign-in, and there is none. On your own machine: sign in " +
      "(az login). If this ran on Azure or in CI, the real cause is upstream: the managed identity or the pipeline's " +
      'service connection did not provide the token, so the code reached the developer credential at all.',
    evidence: s.evidence,
    fixes: [
      { title: s.tool === 'Azure PowerShell' ? 'Connect-AzAccount' : 'az login', runnable: false },
      {
        title: 'On Azure: turn the managed identity on, and pin it with AZURE_TOKEN_CREDENTIALS=ManagedIdentityCredential',
        runnable: false,
      },
    ],
  };
}

export const isGuidValue = isGuid;

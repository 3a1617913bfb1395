// Explaining Microsoft Entra ID's refusals: an expired client assertion (AADSTS700024), a
// resource no application is identified by (AADSTS500011), no matching federated credential
// (AADSTS70021 family), a wrong or expired client secret (AADSTS7000215/7000222).
import type { Fix, Workload } from './model';
import type { SymptomOf } from './symptoms';
import { sentence, type DiagnosisContext, type FindingDraft } from './context';
import { RESOURCE_APPS } from '../azure/resourceApps';
import { federatedCredentialsOf, userAssignedIdentityByIdOrClientId } from '../operations/applications';
import { isPlaceholder } from './readText';
import { issuerUrlOf } from '../services/entra/workloadIssuer';

export function explainAssertionExpired(s: SymptomOf<'entra'>, ctx: DiagnosisContext): FindingDraft {
  const times = /current time: ([^,]{1,40}), assertion valid from ([^,]{1,40}), expiry time of assertion ([0-9TZ:.\- ]{1,40})/i.exec(
    s.message ?? '',
  );
  const workload = ctx.workload?.kind === 'clientCredentials' && ctx.workload.serviceAccount ? ctx.workload : undefined;
  const fresh: Workload | undefined = workload && { ...workload, serviceAccount: { ...workload.serviceAccount!, expired: false } };
  return {
    title: 'The client assertion had expired when Entra read it (AADSTS700024)',
    explanation: sentence(
      times ? `Entra's clock said ${times[1]}; the assertion was valid from ${times[2]} until ${times[3]}.` : undefined,
      'A client assertion is a short-lived signed token: a federated one (GitHub Actions OIDC lives about 5 ' +
        'minutes, an Azure Pipelines token about 10, a Kubernetes service-account token an hour) or one the app ' +
        'signs with its certificate.',
      "It was used after it expired — kept too long (a long job that logged in at its start, a cached credential), or the signing machine's clock is off.",
      'Get a fresh assertion right before each token request (re-read AZURE_FEDERATED_TOKEN_FILE; log in again ' +
        'before long steps) and keep clocks in sync (NTP).',
      "This is not a wrong audience: the course material's reading of AADSTS700024 is corrected here (a wrong audience at Key Vault is AKV10022).",
    ),
    evidence: s.evidence,
    fixes: fresh
      ? [
          {
            title: 'Present a freshly minted service-account token and ask again',
            action: { kind: 'rerun', workload: fresh },
            runnable: true,
          },
        ]
      : [],
  };
}

/** The known resource a misspelt or misused one most likely meant. */
export function meantResource(resource: string | undefined): string | undefined {
  if (!resource) return undefined;
  const lower = resource.toLowerCase();
  if (/\.vault\.azure\.net/.test(lower)) return 'https://vault.azure.net';
  if (/\.blob\.core\.windows\.net|\.queue\.core\.windows\.net/.test(lower)) return 'https://storage.azure.com/';
  if (/\.database\.windows\.net/.test(lower)) return 'https://database.windows.net/';
  const host = lower.replace(/^https?:\/\//, '').split('/')[0] ?? '';
  let best: { uri: string; distance: number } | undefined;
  for (const app of RESOURCE_APPS) {
    for (const uri of app.identifierUris) {
      const other =
        uri
          .toLowerCase()
          .replace(/^https?:\/\//, '')
          .split('/')[0] ?? '';
      const distance = editDistance(host, other);
      if (distance <= 3 && (!best || distance < best.distance)) best = { uri, distance };
    }
  }
  return best?.uri;
}

/** Levenshtein distance of two short host names (both cut to 80 characters: bounded work). */
function editDistance(a: string, b: string): number {
  const x = a.slice(0, 80);
  const y = b.slice(0, 80);
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length]!;
}

export function explainResourceNotFound(s: SymptomOf<'resourceNotFound'>, ctx: DiagnosisContext): FindingDraft {
  const resource = s.resource && !isPlaceholder(s.resource) ? s.resource : undefined;
  const meant = meantResource(resource);
  const empty = resource && /^https:\/\/\.vault\.azure\.net/i.test(resource);
  const workload = ctx.workload && meant ? withResource(ctx.workload, meant) : undefined;
  const fixes: Fix[] = workload
    ? [{ title: `Request the token for ${meant}`, action: { kind: 'rerun', workload }, runnable: true }]
    : meant
      ? [{ title: `Request the token for ${meant} (scope ${meant.replace(/\/+$/, '')}/.default)`, runnable: false }]
      : [];
  return {
    title: `No application is identified by ${resource ? `'${resource}'` : 'the requested resource'} (AADSTS500011)`,
    explanation: sentence(
      `The token was requested for ${resource ?? 'a resource'} (the scope minus /.default), and no application ` +
        `in the tenant has that identifier URI: a typo, a resource's own URL used as its identifier, or an app ` +
        `id URI that is not configured.`,
      empty && 'The vault name in the URL is empty: the code built the scope from a setting that was not set.',
      meant && `It most likely meant ${meant}.`,
      'Managed-identity SDKs sometimes wrap this as "the requested identity has not been assigned to this resource": the AADSTS code is the real cause.',
    ),
    evidence: s.evidence,
    fixes,
  };
}

function withResource(workload: Workload, resource: string): Workload | undefined {
  if (workload.kind === 'token') return { ...workload, resource };
  if (workload.kind === 'clientCredentials') return { ...workload, scope: `${resource.replace(/\/+$/, '')}/.default` };
  return undefined;
}

export function explainFederated(s: SymptomOf<'entra'>, ctx: DiagnosisContext): FindingDraft {
  const lab = ctx.lab;
  const clientId = s.clientId ?? (ctx.workload?.kind === 'clientCredentials' ? ctx.workload.clientId : undefined);
  const identity = lab && clientId ? userAssignedIdentityByIdOrClientId(lab, clientId) : undefined;
  const target = identity?.id ?? (lab && clientId && lab.directory.application(clientId) ? clientId : undefined);
  const credentials = lab && target ? (federatedCredentialsOf(lab, target) ?? []) : [];
  // Entra names the issuer only when none matched; otherwise it is the token's own (the cluster's, for a lab workload).
  const cluster =
    lab && ctx.workload?.kind === 'clientCredentials' && ctx.workload.serviceAccount
      ? lab.arm.resource(ctx.workload.serviceAccount.clusterId)
      : undefined;
  const issuers = [...new Set(credentials.map(c => c.issuer))];
  const issuer =
    s.issuer ??
    (lab && cluster ? issuerUrlOf(lab, cluster) : issuers.length === 1 && s.code !== 70021 && s.code !== 700211 ? issuers[0] : undefined);
  const sameIssuer = credentials.filter(c => issuer && c.issuer === issuer);
  const caseOnly = sameIssuer.find(c => s.subject && c.subject !== s.subject && c.subject.toLowerCase() === s.subject.toLowerCase());
  const what =
    s.code === 700211
      ? 'issuer'
      : s.code === 700212
        ? 'audience'
        : s.code === 700213 || s.code === 7002137 || s.code === 7002138
          ? 'subject'
          : 'issuer and subject';
  const fixes: Fix[] = [];
  if (lab && target && issuer && s.subject && !isPlaceholder(s.subject) && !isPlaceholder(issuer)) {
    fixes.push({
      title: `Add a federated credential for issuer ${issuer} and subject ${s.subject}`,
      action: {
        kind: 'addFederatedCredential',
        target,
        name: `fic-${(s.subject.split(':').pop() ?? 'workload').replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40)}`,
        issuer,
        subject: s.subject,
      },
      runnable: true,
    });
  } else {
    fixes.push({
      title:
        'Add (or correct) a federated credential whose issuer, subject and audience match the token exactly (case-sensitive)' +
        (s.subject ? `: subject ${s.subject}` : ''),
      runnable: false,
    });
  }
  return {
    title: `No federated credential matches the presented ${what} (AADSTS${s.code})`,
    explanation: sentence(
      'Workload identity federation trusts a token only if a federated credential on the app or user-assigned ' +
        'identity has exactly its issuer, subject and audience (compared case-sensitively).',
      issuer && `Presented issuer: ${issuer}.`,
      s.subject && `Presented subject: ${s.subject}.`,
      s.audience && `Presented audience: ${s.audience}.`,
      credentials.length
        ? `The identity trusts: ${credentials.map(c => `${c.issuer} → ${c.subject}`).join('; ')}.`
        : target
          ? 'The identity has no federated credentials at all.'
          : undefined,
      caseOnly && `Only the letter case differs from '${caseOnly.subject}': matching is case-sensitive.`,
      issuer?.endsWith('/') && 'Mind the trailing slash of the issuer: it must be stored exactly as the token carries it.',
      'A credential created seconds ago may also not have propagated yet.',
    ),
    evidence: s.evidence,
    fixes,
  };
}

export function explainSecret(s: SymptomOf<'entra'>, ctx: DiagnosisContext): FindingDraft {
  const appId = /app '([0-9a-f-]{36})'/i.exec(s.message ?? '')?.[1] ?? s.clientId;
  const app = ctx.lab && appId ? ctx.lab.directory.application(appId) : undefined;
  const expired = s.code === 7000222;
  return {
    title: expired
      ? `The client secret of ${app?.displayName ?? appId ?? 'the app'} has expired (AADSTS7000222)`
      : `Invalid client secret for ${app?.displayName ?? appId ?? 'the app'} (AADSTS7000215)`,
    explanation: expired
      ? 'Every secret the app sent has passed its end date. Create a new secret and configure the app with it ' +
        '— or stop keeping secrets: a managed identity, or workload identity federation, needs none.'
      : "Entra did not recognise the secret: most often the secret's ID was configured instead of its value (the " +
        'value is shown only once, when the secret is created), or the secret was rotated or deleted. Configure ' +
        'the current secret value — or use a managed identity, which needs no secret.',
    evidence: s.evidence,
    fixes: [
      {
        title: `Create a new client secret for ${app?.displayName ?? appId ?? '<app id>'} and use its value`,
        action: { kind: 'addClientSecret', appId: app?.appId ?? appId ?? '<app-id>' },
        runnable: !!app,
      },
    ],
  };
}

// What the Azure SDKs report for a refusal the lab recorded, so the course's troubleshooting words
// connect to what the lab shows. JavaScript texts are what @azure/identity 4.14 and the service
// clients print against this lab (test/sdk/managedIdentity.test.ts, keyVault.test.ts); Python's and
// .NET's are their credentials' texts for the same IMDS answers (/work/research/time-and-chain.md:
// azure-identity imds.py maps a 400 to them; Azure.Identity's ImdsManagedIdentitySource).
import type { Refusal } from '../trace/model';

export interface SdkReport {
  language: 'JavaScript' | 'Python' | '.NET';
  package: string;
  /** The exception's type, as the SDK names it. */
  error: string;
  /** The message's telling part, verbatim. */
  says: string;
}

const js = (error: string, says: string): SdkReport => ({ language: 'JavaScript', package: '@azure/identity', error, says });
const py = (error: string, says: string): SdkReport => ({ language: 'Python', package: 'azure-identity', error, says });
const net = (error: string, says: string): SdkReport => ({ language: '.NET', package: 'Azure.Identity', error, says });
const service = (language: SdkReport['language'], pkg: string, error: string, says: string): SdkReport => ({
  language,
  package: pkg,
  error,
  says,
});

const JS_UNAVAILABLE = 'CredentialUnavailableError';
const PY_UNAVAILABLE = 'CredentialUnavailableError';
const NET_UNAVAILABLE = 'CredentialUnavailableException';

/** Identity failures: the credential's words. Service refusals: the client library's error with the service's status and code. */
const BY_RULE: Partial<Record<Refusal['rule'], readonly SdkReport[]>> = {
  noManagedIdentity: [
    js(JS_UNAVAILABLE, 'ManagedIdentityCredential: Authentication failed. Message invalid_request: … Description: Identity not found'),
    py(PY_UNAVAILABLE, 'ManagedIdentityCredential authentication unavailable. No identity has been assigned to this resource.'),
    net(
      NET_UNAVAILABLE,
      'ManagedIdentityCredential authentication unavailable. The requested identity has not been assigned to this resource.',
    ),
  ],
  identityNotAssigned: [
    js(JS_UNAVAILABLE, 'ManagedIdentityCredential: Authentication failed. Message invalid_request: … Description: Identity not found'),
    py(
      PY_UNAVAILABLE,
      'ManagedIdentityCredential authentication unavailable. The requested identity has not been assigned to this resource.',
    ),
    net(
      NET_UNAVAILABLE,
      'ManagedIdentityCredential authentication unavailable. The requested identity has not been assigned to this resource.',
    ),
  ],
  multipleUserAssigned: [
    js(
      JS_UNAVAILABLE,
      'ManagedIdentityCredential: Authentication failed. Message invalid_request: … Description: Multiple user assigned identities exist, ' +
        'please specify the clientId / resourceId of the identity in the token request',
    ),
  ],
  throttled: [js(JS_UNAVAILABLE, 'ManagedIdentityCredential: Authentication failed. Message … IMDS Throttle limit reached')],
};
BY_RULE.identityDeleted = BY_RULE.identityNotAssigned;
BY_RULE.userAssignedNotNamed = BY_RULE.identityNotAssigned;

const SERVICE_CLIENTS: Partial<Record<Refusal['by'], { js: string; py: string; net: string }>> = {
  keyvault: { js: '@azure/keyvault-secrets', py: 'azure-keyvault-secrets', net: 'Azure.Security.KeyVault.Secrets' },
  storage: { js: '@azure/storage-blob', py: 'azure-storage-blob', net: 'Azure.Storage.Blobs' },
  arm: { js: '@azure/arm-*', py: 'azure-mgmt-*', net: 'Azure.ResourceManager' },
};

/** What the SDKs report for this refusal: the credential for identity failures, the service client (RestError…) for a service's refusal. */
export function sdkReportsFor(refusal: Pick<Refusal, 'rule' | 'by' | 'errorCode'>, status?: number): readonly SdkReport[] {
  const own = BY_RULE[refusal.rule];
  if (own) return own;
  const clients = SERVICE_CLIENTS[refusal.by];
  if (!clients || status === undefined || status < 400) return [];
  const code = refusal.errorCode ? ` ${refusal.errorCode}` : '';
  return [
    service('JavaScript', clients.js, 'RestError', `statusCode ${status}, code${code || ' (none)'}`),
    service('Python', clients.py, 'HttpResponseError', `(${refusal.errorCode ?? status})`),
    service('.NET', clients.net, 'RequestFailedException', `Status: ${status}, ErrorCode: ${refusal.errorCode ?? ''}`.trimEnd()),
  ];
}

/** One line for a notification: JavaScript in full, the others by their error type. */
export function sdkReportLine(reports: readonly SdkReport[]): string | undefined {
  const first = reports[0];
  if (!first) return undefined;
  const others = reports.slice(1).map(r => `${r.language} ${r.error}${r.says !== first.says ? ` ("${r.says}")` : ''}`);
  return `The SDKs report this as: ${first.language} (${first.package}) ${first.error}: "${first.says}"${others.length ? `; ${others.join('; ')}` : ''}.`;
}

/** A short note for the diagram: each error type with its languages, and the words a log shows (the full texts are in the notification and the diagnosis). */
export function sdkReportNote(reports: readonly SdkReport[]): string | undefined {
  const first = reports[0];
  if (!first) return undefined;
  const byError = new Map<string, string[]>();
  for (const r of reports) byError.set(r.error, [...(byError.get(r.error) ?? []), r.language]);
  const kinds = [...byError].map(([error, languages]) => `${error} (${languages.join(', ')})`);
  const words = (reports.find(r => r.language === 'Python') ?? first).says;
  return `In the SDKs: ${kinds.join('; ')}: "${words}"`;
}

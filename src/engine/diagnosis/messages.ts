// The verbatim texts Azure, its SDKs and tools print, lower-cased, as the anchors the text reader
// looks for (sources: the diagnosis corpus in test/fixtures/diagnosis, each entry with its thread;
// /work/research/time-and-chain.md for the credential chains). Grouped by what they mean.

/** Managed-identity endpoints and the SDKs' wrappers around them. */
export const MI_PHRASES = {
  identityNotFound: ['identity not found'],
  notAssigned: [
    'requested identity has not been assigned to this resource',
    "the requested identity isn't assigned to this resource",
    'either the requested identity has not been assigned to this resource',
    'managed identity is not assigned to this resource',
    'the requested identity has not been assigned',
    "there's no available identity",
    'unable to load the proper managed identity',
    'user assigned identity is currently not supported',
  ],
  noIdentity: ['no identity has been assigned to this resource'],
  multiple: ['multiple user assigned identities exist'],
  unavailable: [
    'no managed identity endpoint found',
    'multiple attempts failed to obtain a token from the managed identity endpoint',
    'all managed identity sources are unavailable',
    'no response from the imds endpoint',
    'no response received from the managed identity endpoint',
    'attempted to use the imds endpoint, but it is not available',
    'connection to imds endpoint cannot be established',
    'unable to connect to the instance metadata service',
    'imds token request timed out',
    'the azure instance metadata service (imds) that runs on vms was not detected',
  ],
  throttled: ['temporarily throttled, too many requests', 'imds throttle limit reached', 'the request was throttled locally'],
  badRequest: [
    'required metadata header not specified',
    'request contains x-forwarded-for header',
    'required audience parameter not specified',
  ],
  transient: ['imds is being updated', 'the identity endpoint is updating', 'failed to retrieve token from the active directory'],
  failedToConnectMsi: ['failed to connect to msi'],
  address: ['169.254.169.254', '/metadata/identity/oauth2/token'],
} as const;

/** Words that, near an address of the identity endpoint, mean nothing answered there. */
export const CONNECTION_FAILURES = [
  'connection refused',
  'timed out',
  'unreachable',
  'forbidden by its access permissions',
  'failed to establish a new connection',
  'max retries exceeded',
  'no route to host',
  'failed to connect',
  'did not properly respond',
  'network is unreachable',
];

/** Where a text talks about a managed-identity token request (for statuses found near). */
export const MI_CONTEXT = [
  'managedidentitycredential',
  'managed identity',
  'managed service identity',
  'imds',
  'msi',
  'metadata endpoint',
  '169.254.169.254',
  'identity endpoint',
  'service principal token for pod',
];

export const KEYVAULT_CONTEXT = ['keyvault', 'key vault', '.vault.azure.net', 'azkeyvault', 'secretclient'];
export const STORAGE_CONTEXT = ['.blob.core.windows.net', 'storage account', 'storageaccount', 'blobclient', 'azure.storage', 'blob'];

/** Microsoft Entra ID. */
export const ENTRA_PHRASES = {
  assertionTime: 'client assertion is not within its valid time range',
  resourcePrincipal: 'the resource principal named ',
  noFederated: 'no matching federated identity record found',
  invalidSecret: 'invalid client secret',
  expiredSecret: 'client secret keys',
};

/** Service authorization and token errors. */
export const SERVICE_PHRASES = {
  keyVaultRbac: 'caller is not authorized to perform action on resource',
  keyVaultPolicy: ['does not have secrets ', 'does not have keys ', 'does not have certificates '],
  keyVaultObo: 'to use on-behalf-of (obo) flow',
  storageMismatch: 'this request is not authorized to perform this operation using this permission',
  armDenied: 'does not have authorization to perform action',
  armLinked: 'on the linked scope(s)',
  armAudience: 'obtained for wrong audience or resource',
  storageAudience: 'audience validation failed',
  sqlAudience: 'the token audience is not valid',
  expired: [
    'the access token expiry utc time',
    'lifetime validation failed. the token is expired',
    '[tokenexpired]',
    'token is expired',
    'expiredauthenticationtoken',
  ],
  missingToken: ['request is missing a bearer or pop token', 'noauthenticationinformation', "the 'authorization' header is missing"],
};

export const SQL_PHRASES = {
  loginFailed: "login failed for user '<token-identified principal>'",
  securityToken: 'security token could not be authenticated or authorized',
  anonymous: "login failed for user 'nt authority\\anonymous logon'",
  notConfigured: 'server is not currently configured to accept this token',
  invalidToken: 'incorrect or invalid token',
};

export const PRINCIPAL_PHRASES = {
  notInDirectory: 'does not exist in the directory',
  noMatches: 'no matches in graph database for ',
  cannotFind: 'cannot find user or service principal in graph database for ',
  noAdObject: 'the provided information does not map to an ad object id',
};

/** Credential-chain headers, per SDK (research: time-and-chain.md §7). */
export const CHAIN_HEADERS = [
  'defaultazurecredential failed to retrieve a token from the included credentials',
  'chainedtokencredential authentication failed',
  'chainedtokencredential failed to retrieve a token from the included credentials',
  'the defaultazurecredential failed to retrieve a token',
  'attempted credentials:',
];

/** Signs that the chain ran on a developer's machine (a debugger, an IDE, a developer tool that is installed but signed out). */
export const DEVELOPER_SIGNALS = [
  'was not handled in user code',
  'exception has occurred: clr/',
  'an unhandled exception of type',
  'intellij',
  'microsoft visual studio\\',
  'asal.tokenservice',
  'failed to get azure user details from visual studio code',
  'the current credential is not configured to acquire tokens for tenant',
  'pycharm',
  '/.venv/',
];

/** Failures that are recognisably not about identities or access (the lab says what they are, as `unknown`). */
export const NOT_IDENTITY: ReadonlyArray<{ phrases: readonly string[]; what: string; explanation: string }> = [
  {
    phrases: ['secretnotfound', 'was not found in this key vault', "invalid status code 'notfound'"],
    what: 'Key Vault: no such secret (404)',
    explanation:
      'Key Vault authenticated and authorized the caller, then found no secret (or version) by that name: check ' +
      'the name, or recover a deleted one. Not an identity problem.',
  },
  {
    phrases: ['operation get is not allowed on a disabled secret', 'secretdisabled'],
    what: 'Key Vault: the secret is disabled (403 SecretDisabled)',
    explanation:
      'The 403 is not about access: the secret version is disabled. Enable it (az keyvault secret set-attributes --enabled true).',
  },
  {
    phrases: ['getaddrinfo enotfound', 'unknownhostexception', 'getaddrinfo failed', 'name or service not known', 'no such host'],
    what: 'DNS: the host name did not resolve',
    explanation:
      "The request never reached Azure: the service's host name did not resolve (a wrong or deleted resource " +
      "name, a private endpoint's DNS, a proxy). Not an identity problem.",
  },
  {
    phrases: ['authorizationfailure'],
    what: 'Storage AuthorizationFailure (403)',
    explanation:
      "Storage's AuthorizationFailure (not AuthorizationPermissionMismatch) usually means the account's firewall " +
      'or network rules refused the caller, not a missing data role.',
  },
  {
    phrases: ['request is temporarily throttled because resource'],
    what: 'Azure Resource Manager throttling (429)',
    explanation:
      'ARM throttled reads of a resource (not the managed-identity endpoint): read the resource less often, and retry after the Retry-After interval.',
  },
  {
    phrases: ['which is not trusted by this database account'],
    what: 'Cosmos DB: a token from another tenant',
    explanation:
      "The token was issued by a tenant the Cosmos DB account does not trust: the credential signed in to another tenant than the account's.",
  },
  {
    phrases: ['pod list is empty'],
    what: "aad-pod-identity's NMI is not ready (500)",
    explanation:
      'The node agent of aad-pod-identity did not know the pod yet; a readiness problem of the pod-identity add-on, not of the identity.',
  },
  {
    phrases: ['unexpected content type "text/html"', "unexpected content type 'text/html'"],
    what: 'Something other than a managed-identity endpoint answered (HTML)',
    explanation:
      'A web page (typically a proxy) answered the request meant for the managed-identity endpoint, so the ' +
      'credential failed instead of reporting itself unavailable. Set NO_PROXY=169.254.169.254.',
  },
  {
    phrases: ['api does not accept client id as a user-provided scope'],
    what: "The SDK refused a scope that is the identity's own client id",
    explanation:
      'Requesting a token whose scope is the client id is refused by the SDK itself; request the API it is for, or call the endpoint directly.',
  },
];

/** Credentials, by the names and texts that identify them in a chain's lines. */
export const CREDENTIAL_TEXTS: ReadonlyArray<[string, string]> = [
  ['environmentcredential', 'EnvironmentCredential'],
  ['workloadidentitycredential', 'WorkloadIdentityCredential'],
  ['managedidentitycredential', 'ManagedIdentityCredential'],
  ['imdscredential', 'ManagedIdentityCredential'],
  ['sharedtokencachecredential', 'SharedTokenCacheCredential'],
  ['visualstudiocodecredential', 'VisualStudioCodeCredential'],
  ['visual studio code authentication is not available', 'VisualStudioCodeCredential'],
  ['visualstudiocredential', 'VisualStudioCredential'],
  ['visual studio token provider', 'VisualStudioCredential'],
  ['microsoft.asal.tokenservice', 'VisualStudioCredential'],
  ['intellij', 'IntelliJCredential'],
  ['azureclicredential', 'AzureCliCredential'],
  ['azure cli', 'AzureCliCredential'],
  ['azurepowershellcredential', 'AzurePowerShellCredential'],
  ['powershell', 'AzurePowerShellCredential'],
  ['az.account', 'AzurePowerShellCredential'],
  ['azuredeveloperclicredential', 'AzureDeveloperCliCredential'],
  ['azure developer cli', 'AzureDeveloperCliCredential'],
  ['brokercredential', 'BrokerCredential'],
  ['interactivebrowsercredential', 'InteractiveBrowserCredential'],
];

// What can be wrong, as stable ids: the contract categories (issue 17 and DESIGN.md — tools and
// tests key on these ids and their meaning) and a few finer ones for failures the lab itself
// produces that fit none of them. `simulated`: the lab can reproduce it ("Reproduce in the lab").
export const CATEGORY_IDS = [
  'mi-not-enabled-or-unavailable',
  'imds-identity-not-found',
  'multiple-user-assigned-no-selection',
  'rbac-forbidden-keyvault',
  'rbac-forbidden-storage',
  'rbac-forbidden-arm',
  'wrong-audience',
  'aadsts-client-assertion-expired',
  'aadsts-resource-not-found',
  'aadsts-no-federated-credential',
  'aadsts-invalid-client-secret',
  'sql-token-principal-login-failed',
  'imds-throttled',
  'default-credential-chain-all-failed',
  'local-dev-no-credential',
  'assignment-principal-not-found',
  // Finer categories (not in the contract list): failures the lab produces that the list does not name.
  'access-token-expired',
  'mi-endpoint-bad-request',
  'imds-transient-failure',
  'unknown',
] as const;

export type Category = (typeof CATEGORY_IDS)[number];

export interface CategoryInfo {
  id: Category;
  /** What it means, in one sentence. */
  meaning: string;
  /** The lab can build a situation that fails this way. */
  simulated: boolean;
}

const info = (id: Category, simulated: boolean, meaning: string): CategoryInfo => ({ id, simulated, meaning });

export const CATEGORIES: Readonly<Record<Category, CategoryInfo>> = Object.fromEntries(
  [
    info(
      'mi-not-enabled-or-unavailable',
      true,
      'The code runs on an Azure compute resource but no managed identity answers for it there: the identity ' +
        'is off, was removed, or the platform offers no token path for it.',
    ),
    info(
      'imds-identity-not-found',
      true,
      'The managed-identity endpoint answers, but the requested identity is not assigned to this resource (deleted ' +
        'and re-created, a wrong client id or resource id, a name where a client id belongs).',
    ),
    info(
      'multiple-user-assigned-no-selection',
      true,
      'The resource has several user-assigned identities and the token request names none.',
    ),
    info(
      'rbac-forbidden-keyvault',
      true,
      'The token is fine; the principal lacks a Key Vault role (or, in access-policy mode, an access policy) for that action at that scope.',
    ),
    info('rbac-forbidden-storage', true, 'The token is fine; the principal lacks a Storage data role for that action at that scope.'),
    info('rbac-forbidden-arm', true, 'The token is fine; the principal lacks an Azure RBAC role for that management action at that scope.'),
    info(
      'wrong-audience',
      true,
      'The token was issued for another resource than the service it was sent to (AKV10022, InvalidAuthenticationTokenAudience, a 401 naming the audience).',
    ),
    info(
      'aadsts-client-assertion-expired',
      true,
      'AADSTS700024: the client assertion (a federated or certificate-signed token) is outside its valid time range.',
    ),
    info(
      'aadsts-resource-not-found',
      true,
      'AADSTS500011: the token was requested for a resource (scope) no application in the tenant is identified by.',
    ),
    info(
      'aadsts-no-federated-credential',
      true,
      'AADSTS70021/700211/700213/7002138: no federated identity credential matches the presented issuer, subject and audience.',
    ),
    info('aadsts-invalid-client-secret', true, 'AADSTS7000215/7000222: the client secret is not a valid, current secret value of the app.'),
    info(
      'sql-token-principal-login-failed',
      true,
      'Azure SQL accepted the token but no contained database user or Microsoft Entra admin matches the principal.',
    ),
    info('imds-throttled', true, 'The managed-identity endpoint answered 429: too many token requests.'),
    info(
      'default-credential-chain-all-failed',
      false,
      'Every credential in a DefaultAzureCredential or ChainedTokenCredential chain was unavailable, outside ' +
        'a developer machine (a CI job, a container) or where the environment is unknown.',
    ),
    info(
      'local-dev-no-credential',
      false,
      'On a developer machine: no managed-identity endpoint (as expected off Azure) and no developer credential (not logged in, environment not set).',
    ),
    info(
      'assignment-principal-not-found',
      true,
      'Creating a role assignment failed because the principal cannot be found (replication delay right after ' +
        'creating it, or a value that is not a principal id).',
    ),
    info('access-token-expired', false, 'The service refused a token that had expired.'),
    info(
      'mi-endpoint-bad-request',
      true,
      "The request broke the managed-identity endpoint's protocol (the Metadata or X-IDENTITY-HEADER header, " +
        'the api-version, the resource, the identity parameters).',
    ),
    info(
      'imds-transient-failure',
      true,
      'The managed-identity endpoint is updating (410, 404) or failed on its side (500): retry with backoff.',
    ),
    info(
      'unknown',
      false,
      'Nothing the lab diagnoses: the text or the failure names no managed-identity, token or access problem it knows.',
    ),
  ].map(c => [c.id, c]),
) as Record<Category, CategoryInfo>;

export const isCategory = (value: string): value is Category => (CATEGORY_IDS as readonly string[]).includes(value);

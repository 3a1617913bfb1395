// How long a managed-identity token is served and used, on the lab clock: the endpoint's cache
// rule, what a trace says when a token is issued or served from the cache, and what the SDKs
// cache on their own side (the lab cannot see that cache, so it explains it). Sources: entra-docs
// how-to-use-vm-token.md "Token caching" ("the managed identities for Azure resources subsystem
// does cache tokens"); managed-identity-best-practice-recommendations.md ("a cache per resource URI
// for around 24 hours"); msal-node 7.2.3 BaseManagedIdentitySource.mjs and msal-common 16.17.0
// Constants.mjs; MSAL Python msal/managed_identity.py; MSAL.NET Internal/Constants.cs;
// @azure/core-rest-pipeline 1.25.1 src/util/tokenCycler.ts.
import { formatDuration, timeOfDay } from '../base/clock';
import { CLOCK_SKEW_SECONDS } from '../azure/accessTokens';

/** When Entra actually issued a token: it back-dates iat by the skew allowance. */
const issuedAt = (claims: { iat: number }) => (claims.iat + CLOCK_SKEW_SECONDS) * 1000;

/** The endpoint serves a cached token until it has five minutes left (the lab's choice: the same margin MSAL keeps). */
export const ENDPOINT_CACHE_MARGIN_SECONDS = 300;

/** Whether the endpoint may still hand out a cached token: not near expiry, and not from a lab time the clock has since left. */
export const servableFromCache = (claims: { exp: number; nbf: number }, nowSeconds: number): boolean =>
  claims.exp - nowSeconds > ENDPOINT_CACHE_MARGIN_SECONDS && claims.nbf <= nowSeconds;

/** What each SDK caches and when it asks again: the lab never sees it, so traces and lessons say it. */
export const SDK_TOKEN_CACHING = {
  js: {
    sdk: 'JavaScript (@azure/identity 4.x)',
    rule:
      'msal-node caches the token; for a lifetime over 2 h it asks again at half-life (12 h for a 24 h token), ' +
      'and treats it as expired 5 min before exp; @azure/core-rest-pipeline renews 2 min before expiry (retrying every 3 s).',
    source:
      'msal-node BaseManagedIdentitySource (refresh_in), msal-common DEFAULT_TOKEN_RENEWAL_OFFSET_SEC = 300, core-rest-pipeline tokenCycler.ts',
  },
  python: {
    sdk: 'Python (azure-identity)',
    rule: 'MSAL Python caches the token, refreshes at half-life when it lives 2 h or more, and treats it as expired with under 5 min left.',
    source: 'MSAL Python msal/managed_identity.py',
  },
  dotnet: {
    sdk: '.NET (Azure.Identity)',
    rule: 'MSAL.NET caches the token with a 5 min expiration buffer and refresh_in at half-life over 2 h; Azure.Core renews 5 min early.',
    source: 'MSAL.NET Internal/Constants.cs AccessTokenExpirationBuffer, MsalTokenResponse.cs',
  },
} as const;

/** The trace's notes when Entra issues a managed-identity token. */
export function issuedTokenNotes(claims: { iat: number; exp: number; groups?: readonly string[]; _claim_names?: unknown }): string[] {
  const lifetime = claims.exp * 1000 - issuedAt(claims);
  const groups = claims._claim_names
    ? 'groups: too many for the token (overage claim)'
    : `groups in the token: ${claims.groups?.length ? claims.groups.length : 'none'} (as of now: later membership changes are not in it)`;
  return [
    `issued ${timeOfDay(issuedAt(claims))}, expires ${timeOfDay(claims.exp * 1000, issuedAt(claims))} (lab time; ${formatDuration(lifetime)})`,
    groups,
    `the endpoint caches it until ${ENDPOINT_CACHE_MARGIN_SECONDS / 60} min before expiry; the SDK caches it too (msal asks again at half-life)`,
  ];
}

/** The trace's note when the endpoint hands out a token it cached. */
export function cachedTokenNotes(claims: { iat: number; exp: number }): string[] {
  return [
    `cached token, issued ${timeOfDay(issuedAt(claims))}, expires ${timeOfDay(claims.exp * 1000, issuedAt(claims))} (lab time): ` +
      'its claims (groups too) are as they were then; bypass_cache=true asks for a new one',
  ];
}

// Microsoft Entra ID's instance discovery (`GET https://login.microsoftonline.com/common/discovery/instance
// ?api-version=1.1&authorization_endpoint=…`), which MSAL calls to learn a cloud's host aliases and
// where the tenant's OpenID configuration is (MSAL Python authority.py; MSAL .NET AadInstanceDiscovery).
// The lab answers for the public cloud's hosts and for its own addresses (an authority at
// https://127.0.0.1:PORT/, as `az cloud register` with the lab's ARM endpoint makes one): MSAL asks
// about any authority it does not know, and under `milab run` login.microsoftonline.com is the lab.

/** The public cloud's aliases, as the endpoint lists them (msal's known-authority table agrees). */
const PUBLIC_CLOUD = {
  preferred_network: 'login.microsoftonline.com',
  preferred_cache: 'login.windows.net',
  aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
};

/** The lab's own addresses: loopback, any port. */
const isLoopback = (host: string): boolean => /^(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/.test(host);

/** `https://{host}/{tenant}/oauth2[/v2.0]/authorize`, query and fragment allowed. */
const AUTHORIZE = /^https:\/\/([a-z0-9.-]+(?::\d{1,5})?)\/([^/?#]+)\/oauth2\/(v2\.0\/)?authorize\/?(?:[?#].*)?$/i;

export type InstanceDiscovery = { status: 200; body: Record<string, unknown> } | { status: 400; body: Record<string, unknown> };

/**
 * The answer for an `authorization_endpoint` (`https://{host}/{tenant}/oauth2[/v2.0]/authorize`):
 * where that tenant's OpenID configuration lives, and the cloud's aliases. `labHost` is the host
 * the request reached the lab by, which counts as an instance too.
 */
export function instanceDiscovery(authorizationEndpoint: string | undefined, labHost: string): InstanceDiscovery {
  const url = AUTHORIZE.exec(authorizationEndpoint ?? '');
  const host = url?.[1]!.toLowerCase();
  const known = host !== undefined && (PUBLIC_CLOUD.aliases.includes(host) || host === labHost.toLowerCase() || isLoopback(host));
  if (!url || !known) {
    return {
      status: 400,
      body: {
        error: 'invalid_instance',
        error_description: 'AADSTS50049: Unknown or invalid instance.',
        error_codes: [50049],
      },
    };
  }
  const [, at, tenant, v2] = url;
  return {
    status: 200,
    body: {
      tenant_discovery_endpoint: `https://${at}/${tenant}${v2 ? '/v2.0' : ''}/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [PUBLIC_CLOUD.aliases.includes(host) ? PUBLIC_CLOUD : { preferred_network: at, preferred_cache: at, aliases: [at] }],
    },
  };
}

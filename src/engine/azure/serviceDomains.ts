// Where each data plane lives: by host name, exactly like Azure — https://{vault}.vault.azure.net/,
// https://{account}.blob.core.windows.net/, {server}.database.windows.net. A running lab
// serves the same names on its own port (apps reach them through the DNS preload or a hosts
// file; the lab's certificate covers them), and ARM reports whichever applies
// (`properties.vaultUri`, `primaryEndpoints.blob`), so an app configured from ARM just works.
// The one list of these domains: the router, the certificate, `milab env` and the preload read it.

export const SERVICE_DOMAINS = {
  keyvault: 'vault.azure.net',
  blob: 'blob.core.windows.net',
  sql: 'database.windows.net',
} as const;

export type ServiceKind = keyof typeof SERVICE_DOMAINS;

export interface ServiceUrls {
  vault(name: string): string;
  blob(account: string): string;
  /** The ARM endpoint (`https://management.azure.com/` on Azure). */
  management(): string;
}

export const AZURE_SERVICE_URLS: ServiceUrls = {
  vault: name => `https://${name}.${SERVICE_DOMAINS.keyvault}/`,
  blob: account => `https://${account}.${SERVICE_DOMAINS.blob}/`,
  management: () => 'https://management.azure.com/',
};

/** The services' URLs in a lab whose HTTPS endpoints are at `httpsUrl` (`https://127.0.0.1:PORT`). */
export function labServiceUrls(httpsUrl: string): ServiceUrls {
  // HTTPS's own port is left out, as a URL writes it (never an empty `:`).
  const port = /:(\d+)\/?$/.exec(httpsUrl)?.[1];
  const suffix = port && port !== '443' ? `:${port}` : '';
  const at = (name: string, kind: ServiceKind) => `https://${name.toLowerCase()}.${SERVICE_DOMAINS[kind]}${suffix}/`;
  return {
    vault: name => at(name, 'keyvault'),
    blob: account => at(account, 'blob'),
    management: () => `${httpsUrl}/`,
  };
}

/** The service a host name (a request's `Host`, port and trailing dot allowed) names, if it is one of the lab's. */
export function serviceFromHost(host: string | undefined): { kind: ServiceKind; name: string } | undefined {
  if (!host) return undefined;
  const name = host.replace(/:\d+$/, '').replace(/\.$/, '').toLowerCase();
  for (const kind of Object.keys(SERVICE_DOMAINS) as ServiceKind[]) {
    const suffix = `.${SERVICE_DOMAINS[kind]}`;
    if (name.endsWith(suffix) && name.length > suffix.length) return { kind, name: name.slice(0, -suffix.length) };
  }
  return undefined;
}

/** Whether a host name is one of the service names the lab answers (and so resolves to loopback for an app run as a lab resource). */
export const isServiceHostName = (hostname: string): boolean => serviceFromHost(hostname) !== undefined;

/**
 * The lab's own names, besides the service domains' sub-names: what a request's `Host` may say
 * (anything else is a DNS-rebinding page or a confused client, and is refused), what the HTTPS
 * certificate covers and what its CA is constrained to. The one list: a lab serving Azure's own
 * names inside a network namespace (management.azure.com, login.microsoftonline.com,
 * 169.254.169.254) adds them here.
 */
export const LAB_HOST_NAMES = {
  dns: ['localhost'],
  ipv4: ['127.0.0.1'],
  ipv6: ['::1'],
} as const;

/** Whether a host name (lower-case, no port, IPv6 without brackets) is one the lab answers to. */
export const isLabHostName = (name: string): boolean =>
  (LAB_HOST_NAMES.dns as readonly string[]).includes(name) ||
  (LAB_HOST_NAMES.ipv4 as readonly string[]).includes(name) ||
  (LAB_HOST_NAMES.ipv6 as readonly string[]).includes(name) ||
  serviceFromHost(name) !== undefined;

/** Names the lab's HTTPS certificate covers: its own names and every service domain. */
export const CERTIFICATE_DNS_NAMES: readonly string[] = [...LAB_HOST_NAMES.dns, ...Object.values(SERVICE_DOMAINS).map(d => `*.${d}`)];

/** The DNS subtrees the lab's CA may vouch for (RFC 5280 name constraints): its own names and the service domains, nothing else. */
export const CA_PERMITTED_DNS: readonly string[] = [...LAB_HOST_NAMES.dns, ...Object.values(SERVICE_DOMAINS)];

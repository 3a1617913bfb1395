// Where each data plane lives: by host name, exactly like Azure — https://{vault}.vault.azure.net/,
// https://{account}.blob.core.windows.net/, {server}.database.windows.net. A running lab
// serves the same names on its own port (apps reach them through the DNS preload or a hosts
// file; the lab's certificate covers them), and ARM reports whichever applies
// (`properties.vaultUri`, `primaryEndpoints.blob`), so an app configured from ARM just works.
// The one list of these domains: the router, the certificate, `milab env`, `milab run` and the
// preload read it. Under `milab run` the lab also answers as Azure's global endpoints
// (management.azure.com, login.microsoftonline.com), so clients with those names built in work.

export const SERVICE_DOMAINS = {
  keyvault: 'vault.azure.net',
  blob: 'blob.core.windows.net',
  sql: 'database.windows.net',
} as const;

export type ServiceKind = keyof typeof SERVICE_DOMAINS;

/** Azure's global endpoints, by their real names: Resource Manager and Microsoft Entra ID. */
export const GLOBAL_HOST_NAMES = { management: 'management.azure.com', login: 'login.microsoftonline.com' } as const;

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

/** Whether a host name (a request's `Host`) is one of Azure's global endpoint names. */
export function isGlobalHostName(host: string | undefined): boolean {
  const name = (host ?? '').replace(/:\d+$/, '').replace(/\.$/, '').toLowerCase();
  return Object.values(GLOBAL_HOST_NAMES).some(n => n === name);
}

/** The real names an app running in the lab calls: the global endpoints, then each service's own host. */
export function realHostNames(services: ReadonlyArray<{ kind: ServiceKind; name: string }>): string[] {
  const names = [...Object.values(GLOBAL_HOST_NAMES), ...services.map(s => `${s.name.toLowerCase()}.${SERVICE_DOMAINS[s.kind]}`)];
  return [...new Set(names)];
}

/** Names the lab's HTTPS certificate covers: loopback, Azure's global endpoints and every service domain. */
export const CERTIFICATE_DNS_NAMES: readonly string[] = [
  'localhost',
  ...Object.values(GLOBAL_HOST_NAMES),
  ...Object.values(SERVICE_DOMAINS).map(d => `*.${d}`),
];

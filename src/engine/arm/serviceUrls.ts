// Where a service's data plane lives. On Azure a vault is https://{name}.vault.azure.net/;
// in a running lab it is on the lab's own loopback endpoint. ARM reports whichever applies
// (`properties.vaultUri`, `primaryEndpoints.blob`), so an app configured from ARM just works.
export interface ServiceUrls {
  vault(name: string): string;
  blob(account: string): string;
  /** The ARM endpoint (`https://management.azure.com/` on Azure). */
  management(): string;
}

export const AZURE_SERVICE_URLS: ServiceUrls = {
  vault: name => `https://${name}.vault.azure.net/`,
  blob: account => `https://${account}.blob.core.windows.net/`,
  management: () => 'https://management.azure.com/',
};

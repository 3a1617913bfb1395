// Where the lab serves each data plane (and so what ARM reports as their URLs): by host
// name, exactly like Azure (https://{vault}.vault.azure.net/, https://{account}.blob.core.windows.net/,
// {server}.database.windows.net),
// on the lab's port. Apps reach those names through the lab's DNS preload (NODE_OPTIONS from
// `milab env`) or a hosts-file entry; the lab's certificate covers them.
import type { ServiceUrls } from '../engine/arm/serviceUrls';

export const VAULT_DOMAIN = '.vault.azure.net';
export const BLOB_DOMAIN = '.blob.core.windows.net';
export const SQL_DOMAIN = '.database.windows.net';

export function labServiceUrls(httpsUrl: string): ServiceUrls {
  const port = new URL(httpsUrl).port;
  return {
    vault: name => `https://${name.toLowerCase()}${VAULT_DOMAIN}:${port}/`,
    blob: account => `https://${account.toLowerCase()}${BLOB_DOMAIN}:${port}/`,
    management: () => `${httpsUrl}/`,
  };
}

/** The service a request's Host header names, if it is one of the lab's service domains. */
export function serviceFromHost(host: string | undefined): { kind: 'keyvault' | 'blob' | 'sql'; name: string } | undefined {
  if (!host) return undefined;
  const name = host.replace(/:\d+$/, '').toLowerCase();
  if (name.endsWith(VAULT_DOMAIN)) return { kind: 'keyvault', name: name.slice(0, -VAULT_DOMAIN.length) };
  if (name.endsWith(BLOB_DOMAIN)) return { kind: 'blob', name: name.slice(0, -BLOB_DOMAIN.length) };
  if (name.endsWith(SQL_DOMAIN)) return { kind: 'sql', name: name.slice(0, -SQL_DOMAIN.length) };
  return undefined;
}

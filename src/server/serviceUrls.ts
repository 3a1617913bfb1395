// Where the lab serves each data plane (and so what ARM reports as their URLs).
import type { ServiceUrls } from '../engine/arm/serviceUrls';

/** Path prefixes under the lab's HTTPS endpoint. Storage uses Azurite-style path URLs: /{account}/. */
export const KEY_VAULT_PREFIX = '/keyvault/';

export function labServiceUrls(httpsUrl: string): ServiceUrls {
  return {
    vault: name => `${httpsUrl}${KEY_VAULT_PREFIX}${name}/`,
    blob: account => `${httpsUrl}/${account}/`,
    management: () => `${httpsUrl}/`,
  };
}

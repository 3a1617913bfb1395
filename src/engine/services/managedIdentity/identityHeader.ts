// The App Service identity endpoint's secret (IDENTITY_HEADER): one per host, stable for
// the life of the lab, derived from the lab's secret seed with HMAC-SHA256 so that nothing
// per host needs storing and one host's secret says nothing about another's.
import type { Lab } from '../../lab/lab';
import { idKey } from '../../azure/resourceId';
import { fromBase64, toBase64Url, utf8 } from '../../base/encoding';

export async function identityHeaderFor(lab: Lab, hostId: string): Promise<string> {
  const seed = fromBase64(lab.secretSeed) ?? utf8(lab.secretSeed);
  const key = await crypto.subtle.importKey('raw', seed, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8(`identity-header|${idKey(hostId)}`)));
  return toBase64Url(mac);
}

// The OIDC issuers of the lab's AKS clusters: each cluster publishes an issuer URL (as AKS
// does, https://{region}.oic.prod-aks.azure.com/{tenant}/{cluster}/) and signs its pods'
// projected service-account tokens, which workload identity exchanges at Entra for access
// tokens. Entra would fetch the issuer's keys over the internet; the lab knows its own.
import { SignJWT } from 'jose';
import type { Lab } from '../../lab/lab';
import type { ReadonlyResource } from '../../state/labState';
import { importPrivateKey } from '../../base/crypto/signingKeys';
import { LabError } from '../../base/errors';
import { TOKEN_EXCHANGE_AUDIENCE } from '../../operations/applications';
import { resourceTypeOf } from '../../azure/resourceTypes';

export function issuerUrlOf(lab: Lab, cluster: ReadonlyResource): string {
  return `https://${cluster.location}.oic.prod-aks.azure.com/${lab.tenantId}/${clusterGuid(cluster.id)}/`;
}

/** The AKS cluster whose issuer this is, if it is one of the lab's. */
export function clusterForIssuer(lab: Lab, issuer: string): ReadonlyResource | undefined {
  return lab.arm.resources.find(r => resourceTypeOf(r.type)?.key === 'aks' && issuerUrlOf(lab, r) === issuer);
}

/** `system:serviceaccount:{namespace}:{name}`, the subject Kubernetes puts in service-account tokens. */
export const serviceAccountSubject = (namespace: string, name: string): string => `system:serviceaccount:${namespace}:${name}`;

export async function mintServiceAccountToken(
  lab: Lab,
  cluster: ReadonlyResource,
  namespace: string,
  serviceAccount: string,
  lifetimeSeconds = 3600,
  /** When it was issued (Unix seconds); now by default. An earlier time mints a token that has expired. */
  issuedAt?: number,
): Promise<string> {
  if (resourceTypeOf(cluster.type)?.key !== 'aks') {
    throw new LabError('InvalidArgument', `${cluster.name} is not an AKS cluster.`, 400, 'cluster');
  }
  const name = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
  if (!name.test(namespace) || !name.test(serviceAccount)) {
    throw new LabError(
      'InvalidArgument',
      'Namespace and service account names are DNS labels (lower-case letters, digits, hyphens).',
      400,
      'serviceAccount',
    );
  }
  const key = await lab.workloadIssuerKey();
  const now = issuedAt ?? Math.floor(lab.clock.now() / 1000);
  return new SignJWT({ 'kubernetes.io': { namespace, serviceaccount: { name: serviceAccount } } })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid })
    .setIssuer(issuerUrlOf(lab, cluster))
    .setSubject(serviceAccountSubject(namespace, serviceAccount))
    .setAudience([TOKEN_EXCHANGE_AUDIENCE])
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + lifetimeSeconds)
    .sign(await importPrivateKey(key));
}

function clusterGuid(id: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.toLowerCase().charCodeAt(i), 0x01000193) >>> 0;
  const hex = h.toString(16).padStart(8, '0');
  return `${hex}-${hex.slice(0, 4)}-4${hex.slice(1, 4)}-a${hex.slice(5, 8)}-${hex}${hex.slice(0, 4)}`;
}

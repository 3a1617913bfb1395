// The OIDC issuers of the lab's AKS clusters: each cluster publishes an issuer URL (as AKS
// does, https://{region}.oic.prod-aks.azure.com/{tenant}/{cluster}/) and signs its pods'
// projected service-account tokens, which workload identity exchanges at Entra for access
// tokens. Entra would fetch the issuer's keys over the internet; the lab knows its own.
// Token shape and lifetimes: Azure/azure-workload-identity pkg/webhook/consts.go and webhook.go
// (an hour by default, 3600–86400 s), on the lab clock — an old one is AADSTS700024.
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

/** The webhook's `azure.workload.identity/service-account-token-expiration` bounds and default (consts.go). */
export const SERVICE_ACCOUNT_TOKEN_EXPIRATION = { default: 3600, min: 3600, max: 86400 } as const;

export async function mintServiceAccountToken(
  lab: Lab,
  cluster: ReadonlyResource,
  namespace: string,
  serviceAccount: string,
  lifetimeSeconds: number = SERVICE_ACCOUNT_TOKEN_EXPIRATION.default,
  options: {
    pod?: string;
    /** When it was issued (Unix seconds); now by default. An earlier time mints a token that has expired. */
    issuedAt?: number;
  } = {},
): Promise<string> {
  const { min, max } = SERVICE_ACCOUNT_TOKEN_EXPIRATION;
  if (!Number.isInteger(lifetimeSeconds) || lifetimeSeconds < min || lifetimeSeconds > max) {
    // The webhook's own error (webhook.go).
    throw new LabError(
      'InvalidArgument',
      `token expiration ${lifetimeSeconds} not valid. Expected value to be between ${min} and ${max}`,
      400,
      'expiration',
    );
  }
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
  const now = options.issuedAt ?? Math.floor(lab.clock.now() / 1000);
  const pod = options.pod ?? `${serviceAccount}-pod`;
  // Kubernetes' projected-token claims (azure-workload-identity docs/book installation/managed-clusters.md).
  const kubernetes = {
    namespace,
    pod: { name: pod, uid: uidOf(`${cluster.id}/${namespace}/pod/${pod}`) },
    serviceaccount: { name: serviceAccount, uid: uidOf(`${cluster.id}/${namespace}/sa/${serviceAccount}`) },
  };
  return new SignJWT({ 'kubernetes.io': kubernetes })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid })
    .setIssuer(issuerUrlOf(lab, cluster))
    .setSubject(serviceAccountSubject(namespace, serviceAccount))
    .setAudience([TOKEN_EXCHANGE_AUDIENCE])
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + lifetimeSeconds)
    .sign(await importPrivateKey(key));
}

/** A stable uid for a Kubernetes object of the lab (a name-derived GUID). */
const uidOf = (name: string): string => clusterGuid(name);

function clusterGuid(id: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.toLowerCase().charCodeAt(i), 0x01000193) >>> 0;
  const hex = h.toString(16).padStart(8, '0');
  return `${hex}-${hex.slice(0, 4)}-4${hex.slice(1, 4)}-a${hex.slice(5, 8)}-${hex}${hex.slice(0, 4)}`;
}

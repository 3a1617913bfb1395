// The lab's TLS material: a certificate authority of its own and a server certificate for
// 127.0.0.1/localhost signed by it. The Azure SDKs refuse bearer tokens over plain HTTP
// (core bearerTokenAuthenticationPolicy), so Storage, ARM and Entra are served over HTTPS;
// clients trust the lab CA through NODE_EXTRA_CA_CERTS, which `milab env` prints.
import { createCertificate } from '../base/crypto/x509';
import { CERTIFICATE_DNS_NAMES } from '../azure/serviceDomains';
import { toBase64, toPem, fromBase64 } from '../base/encoding';

/** Names the lab's HTTPS certificate covers: loopback, and the service domains apps call (resolved to loopback by the lab's DNS preload or a hosts file). */
export const TLS_DNS_NAMES = CERTIFICATE_DNS_NAMES;
/** Bump when TLS_DNS_NAMES or the certificate profile changes: older material is then replaced. */
export const TLS_VERSION = 4;

export interface TlsState {
  version?: number;
  /** Base64 DER certificates and PKCS#8 keys. */
  caCertificate: string;
  caKey: string;
  serverCertificate: string;
  serverKey: string;
  createdAt: number;
}

const RSA = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' } as const;
const DAY = 24 * 3600_000;

export async function createTlsMaterial(now: number, labName: string): Promise<TlsState> {
  const ca = await crypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
  const caSpki = new Uint8Array(await crypto.subtle.exportKey('spki', ca.publicKey));
  const caSubject = { commonName: `Managed Identity Lab CA (${labName})`, organization: 'Managed Identity Lab' };
  const caCertificate = await createCertificate({
    subject: caSubject,
    subjectPublicKey: caSpki,
    signingKey: ca.privateKey,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 10 * 365 * DAY),
    certificateAuthority: true,
  });
  const server = await crypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
  const serverSpki = new Uint8Array(await crypto.subtle.exportKey('spki', server.publicKey));
  // 825 days: the longest validity TLS clients accept for a server certificate.
  const serverCertificate = await createCertificate({
    subject: { commonName: '127.0.0.1', organization: 'Managed Identity Lab' },
    issuer: caSubject,
    subjectPublicKey: serverSpki,
    issuerPublicKey: caSpki,
    signingKey: ca.privateKey,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 825 * DAY),
    serverAuth: { dnsNames: TLS_DNS_NAMES, ipAddresses: ['127.0.0.1'] },
  });
  return {
    version: TLS_VERSION,
    caCertificate: toBase64(caCertificate),
    caKey: toBase64(new Uint8Array(await crypto.subtle.exportKey('pkcs8', ca.privateKey))),
    serverCertificate: toBase64(serverCertificate),
    serverKey: toBase64(new Uint8Array(await crypto.subtle.exportKey('pkcs8', server.privateKey))),
    createdAt: now,
  };
}

export function tlsPems(tls: TlsState): { ca: string; cert: string; key: string } {
  const der = (b64: string) => fromBase64(b64) ?? new Uint8Array(0);
  return {
    ca: toPem('CERTIFICATE', der(tls.caCertificate)),
    cert: toPem('CERTIFICATE', der(tls.serverCertificate)),
    key: toPem('PRIVATE KEY', der(tls.serverKey)),
  };
}

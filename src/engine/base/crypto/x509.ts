// Builds X.509 v3 certificates (RFC 5280) signed with RSA/SHA-256: the lab's token-signing
// certificates (Entra publishes `x5c`/`x5t` for its keys) and the TLS certificates of its
// HTTPS endpoints (a lab CA and a loopback server certificate).
import * as der from './der';
import { sha1 } from '../encoding';
import type { WebCryptoKey } from './types';

const OID = {
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  nameConstraints: '2.5.29.30',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

const KEY_USAGE = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 } as const;

export interface CertificateRequest {
  subject: { commonName: string; organization?: string };
  issuer?: { commonName: string; organization?: string };
  /** SubjectPublicKeyInfo of the certified key, DER. */
  subjectPublicKey: Uint8Array<ArrayBuffer>;
  /** SubjectPublicKeyInfo of the issuer's key (self-signed when absent). */
  issuerPublicKey?: Uint8Array<ArrayBuffer>;
  /** RSASSA-PKCS1-v1_5/SHA-256 private key of the issuer. */
  signingKey: WebCryptoKey;
  notBefore: Date;
  notAfter: Date;
  certificateAuthority?: boolean;
  serverAuth?: { dnsNames: readonly string[]; ipAddresses: readonly string[] };
  /** A CA may vouch only for these names (RFC 5280 §4.2.1.10): DNS subtrees and single IPv4/IPv6 addresses. */
  nameConstraints?: { dnsNames: readonly string[]; ipv4: readonly string[]; ipv6: readonly string[] };
}

function name(entity: { commonName: string; organization?: string }): der.Der {
  const rdns = [];
  if (entity.organization) rdns.push(der.set(der.sequence(der.objectIdentifier(OID.organization), der.utf8String(entity.organization))));
  rdns.push(der.set(der.sequence(der.objectIdentifier(OID.commonName), der.utf8String(entity.commonName))));
  return der.sequence(...rdns);
}

function extension(oid: string, critical: boolean, value: der.Der): der.Der {
  return critical
    ? der.sequence(der.objectIdentifier(oid), der.boolean(true), der.octetString(value))
    : der.sequence(der.objectIdentifier(oid), der.octetString(value));
}

function ipv4Bytes(address: string): Uint8Array<ArrayBuffer> {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some(p => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`not an IPv4 address: ${address}`);
  return Uint8Array.from(parts);
}

/** `::1`-style IPv6 text to its 16 bytes (the forms the lab uses: groups with at most one `::`). */
function ipv6Bytes(address: string): Uint8Array<ArrayBuffer> {
  const [head = '', tail] = address.split('::');
  const groups = (text: string) => (text ? text.split(':').map(g => parseInt(g, 16)) : []);
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? front : [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  if (all.length !== 8 || all.some(g => !Number.isInteger(g) || g < 0 || g > 0xffff)) throw new Error(`not an IPv6 address: ${address}`);
  return Uint8Array.from(all.flatMap(g => [g >> 8, g & 0xff]));
}

/** NameConstraints with permitted subtrees only: each a GeneralSubtree whose base is a dNSName or an iPAddress with a full mask. */
function nameConstraints(c: NonNullable<CertificateRequest['nameConstraints']>): der.Der {
  const subtree = (name: der.Der) => der.sequence(name);
  const withMask = (address: Uint8Array<ArrayBuffer>) => Uint8Array.from([...address, ...new Array<number>(address.length).fill(0xff)]);
  const permitted = [
    ...c.dnsNames.map(d => subtree(der.implicitPrimitive(2, new TextEncoder().encode(d)))),
    ...c.ipv4.map(ip => subtree(der.implicitPrimitive(7, withMask(ipv4Bytes(ip))))),
    ...c.ipv6.map(ip => subtree(der.implicitPrimitive(7, withMask(ipv6Bytes(ip))))),
  ];
  return der.sequence(der.tlv(0xa0, ...permitted));
}

const signatureAlgorithm = () => der.sequence(der.objectIdentifier(OID.sha256WithRSAEncryption), der.nullValue());

/** Returns the certificate, DER-encoded. */
export async function createCertificate(request: CertificateRequest): Promise<Uint8Array<ArrayBuffer>> {
  const serial = crypto.getRandomValues(new Uint8Array(16));
  serial[0]! &= 0x7f; // positive, at most 20 octets (RFC 5280 §4.1.2.2)
  const subjectKeyId = await sha1(request.subjectPublicKey);
  const authorityKeyId = request.issuerPublicKey ? await sha1(request.issuerPublicKey) : subjectKeyId;

  const extensions: der.Der[] = [
    extension(OID.basicConstraints, true, request.certificateAuthority ? der.sequence(der.boolean(true)) : der.sequence()),
    extension(
      OID.keyUsage,
      true,
      der.namedBitString(
        request.certificateAuthority
          ? [KEY_USAGE.digitalSignature, KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign]
          : [KEY_USAGE.digitalSignature, KEY_USAGE.keyEncipherment],
      ),
    ),
    extension(OID.subjectKeyIdentifier, false, der.octetString(subjectKeyId)),
    extension(OID.authorityKeyIdentifier, false, der.sequence(der.implicitPrimitive(0, authorityKeyId))),
  ];
  // Critical, as RFC 5280 requires of a CA's name constraints: a client that cannot check them must refuse the chain.
  if (request.nameConstraints) extensions.push(extension(OID.nameConstraints, true, nameConstraints(request.nameConstraints)));
  if (request.serverAuth) {
    const names = [
      ...request.serverAuth.dnsNames.map(dns => der.implicitPrimitive(2, new TextEncoder().encode(dns))),
      ...request.serverAuth.ipAddresses.map(ip => der.implicitPrimitive(7, ipv4Bytes(ip))),
    ];
    extensions.push(extension(OID.extKeyUsage, false, der.sequence(der.objectIdentifier(OID.serverAuth))));
    extensions.push(extension(OID.subjectAltName, false, der.sequence(...names)));
  }

  const tbs = der.sequence(
    der.explicit(0, der.smallInteger(2)),
    der.unsignedInteger(serial),
    signatureAlgorithm(),
    name(request.issuer ?? request.subject),
    der.sequence(der.time(request.notBefore), der.time(request.notAfter)),
    name(request.subject),
    request.subjectPublicKey,
    der.explicit(3, der.sequence(...extensions)),
  );
  const signature = new Uint8Array(await crypto.subtle.sign({ name: 'RSASSA-PKCS1-v1_5' }, request.signingKey, tbs));
  return der.sequence(tbs, signatureAlgorithm(), der.bitStringOfBytes(signature));
}

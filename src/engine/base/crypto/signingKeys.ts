// The tenant's token-signing keys. Like Entra, each key has a self-signed certificate; the
// key id (`kid`) and `x5t` are both the certificate's SHA-1 thumbprint, base64url-encoded,
// and the JWKS publishes `x5c`. On rotation the previous key stays published for a while,
// so tokens it signed still verify (Entra overlaps keys for the same reason).
import { createCertificate } from './x509';
import { fromBase64, sha1, toBase64, toBase64Url } from '../encoding';
import type { RsaJwk, WebCryptoKey } from './types';

export interface SigningKeyState {
  kid: string;
  /** Private key as a JWK (RS256). Lab state only; never logged or served. */
  privateJwk: RsaJwk;
  /** Base64 DER of the self-signed certificate for this key. */
  certificate: string;
  createdAt: number;
  /** Set when a newer key took over; the key stays in the JWKS until `retiredAt + overlap`. */
  retiredAt?: number;
}

export interface PublishedJwk {
  kty: 'RSA';
  use: 'sig';
  kid: string;
  x5t: string;
  n: string;
  e: string;
  x5c: string[];
  issuer: string;
}

const RSA_SIGNING = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const PUBLIC_EXPONENT = Uint8Array.of(1, 0, 1);

export async function createSigningKey(now: number): Promise<SigningKeyState> {
  const pair = await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: PUBLIC_EXPONENT, hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  );
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  // Entra's signing certificates are self-signed with this subject.
  const subject = { commonName: 'accounts.accesscontrol.windows.net' };
  const certificate = await createCertificate({
    subject,
    subjectPublicKey: spki,
    signingKey: pair.privateKey,
    notBefore: new Date(now - 24 * 3600_000),
    notAfter: new Date(now + 5 * 365 * 24 * 3600_000),
  });
  const kid = toBase64Url(await sha1(certificate));
  const exported = await crypto.subtle.exportKey('jwk', pair.privateKey);
  const { n, e, d, p, q, dp, dq, qi } = exported;
  if (!n || !e || !d) throw new Error('the platform exported an RSA key without its parameters');
  const privateJwk: RsaJwk = { kty: 'RSA', n, e, d, ...(p && q && dp && dq && qi ? { p, q, dp, dq, qi } : {}), alg: 'RS256', kid };
  return { kid, privateJwk, certificate: toBase64(certificate), createdAt: now };
}

export async function importPrivateKey(state: SigningKeyState): Promise<WebCryptoKey> {
  const { alg: _alg, kid: _kid, ...jwk } = state.privateJwk;
  return crypto.subtle.importKey('jwk', jwk, RSA_SIGNING, false, ['sign']);
}

export function publishedJwk(state: SigningKeyState, issuer: string): PublishedJwk {
  const { n, e } = state.privateJwk;
  if (typeof n !== 'string' || typeof e !== 'string') throw new Error(`signing key ${state.kid} has no RSA modulus`);
  return { kty: 'RSA', use: 'sig', kid: state.kid, x5t: state.kid, n, e, x5c: [state.certificate], issuer };
}

/** True when the stored key material is well-formed (used when loading lab state). */
export function isSigningKeyState(value: unknown): value is SigningKeyState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const jwk = v['privateJwk'] as Record<string, unknown> | undefined;
  return (
    typeof v['kid'] === 'string' &&
    typeof v['certificate'] === 'string' &&
    fromBase64(v['certificate']) !== undefined &&
    typeof v['createdAt'] === 'number' &&
    typeof jwk === 'object' &&
    jwk !== null &&
    jwk['kty'] === 'RSA' &&
    typeof jwk['d'] === 'string'
  );
}

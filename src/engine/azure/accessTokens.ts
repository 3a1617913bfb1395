// Access tokens as Microsoft Entra ID issues them to managed identities: v1.0 JWTs signed
// RS256 with the tenant's current key. Claims per the access-token claims reference
// (learn.microsoft.com/entra/identity-platform/access-token-claims-reference); `xms_mirid`
// and `xms_az_rid` as observed in managed-identity tokens (see the facts file, §3).
import { SignJWT } from 'jose';
import { opaqueId } from '../base/ids';
import type { SigningKeyState } from '../base/crypto/signingKeys';
import { importPrivateKey } from '../base/crypto/signingKeys';
import type { WebCryptoKey } from '../base/crypto/types';

export const v1Issuer = (tenantId: string): string => `https://sts.windows.net/${tenantId}/`;

/** Entra back-dates `iat`/`nbf` by five minutes to absorb clock skew. */
export const CLOCK_SKEW_SECONDS = 300;

export interface AccessTokenSubject {
  tenantId: string;
  /** Service principal object id (`oid`, `sub`). */
  objectId: string;
  /** Client (application) id (`appid`). */
  appId: string;
  /** `appidacr`: 0 public client, 1 client secret, 2 certificate (managed identities use 2). */
  appIdAcr: '0' | '1' | '2';
  /** ARM id the identity belongs to: the host for system-assigned, the identity for user-assigned. */
  managedIdentityResourceId?: string;
  /** For user-assigned identities: the compute resource the token was requested from. */
  hostResourceId?: string;
}

export interface AccessTokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  aio: string;
  appid: string;
  appidacr: string;
  idp: string;
  idtyp: 'app';
  oid: string;
  rh: string;
  sub: string;
  tid: string;
  uti: string;
  ver: '1.0';
  xms_az_rid?: string;
  xms_mirid?: string;
}

export interface IssuedAccessToken {
  accessToken: string;
  header: { typ: 'JWT'; alg: 'RS256'; x5t: string; kid: string };
  claims: AccessTokenClaims;
}

export function accessTokenClaims(
  subject: AccessTokenSubject,
  audience: string,
  nowSeconds: number,
  lifetimeSeconds: number,
): AccessTokenClaims {
  const iss = v1Issuer(subject.tenantId);
  const claims: AccessTokenClaims = {
    aud: audience,
    iss,
    iat: nowSeconds - CLOCK_SKEW_SECONDS,
    nbf: nowSeconds - CLOCK_SKEW_SECONDS,
    exp: nowSeconds + lifetimeSeconds,
    aio: opaqueId(48),
    appid: subject.appId,
    appidacr: subject.appIdAcr,
    idp: iss,
    idtyp: 'app',
    oid: subject.objectId,
    rh: `0.${opaqueId(40)}.`,
    sub: subject.objectId,
    tid: subject.tenantId,
    uti: opaqueId(16),
    ver: '1.0',
  };
  if (subject.hostResourceId) claims.xms_az_rid = subject.hostResourceId;
  if (subject.managedIdentityResourceId) claims.xms_mirid = subject.managedIdentityResourceId;
  return claims;
}

/** Signs with one key; the imported CryptoKey is cached because importing costs more than signing. */
export class TokenSigner {
  private key: Promise<WebCryptoKey> | undefined;
  constructor(readonly signingKey: SigningKeyState) {}

  async sign(claims: AccessTokenClaims): Promise<IssuedAccessToken> {
    this.key ??= importPrivateKey(this.signingKey);
    const header = { typ: 'JWT', alg: 'RS256', x5t: this.signingKey.kid, kid: this.signingKey.kid } as const;
    const accessToken = await new SignJWT({ ...claims }).setProtectedHeader(header).sign(await this.key);
    return { accessToken, header, claims };
  }
}

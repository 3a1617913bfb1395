// Access tokens as Microsoft Entra ID issues them to managed identities: v1.0 JWTs signed
// RS256 with the tenant's current key. Claims per the access-token claims reference
// (learn.microsoft.com/entra/identity-platform/access-token-claims-reference); `xms_mirid`
// and `xms_az_rid` as observed in managed-identity tokens (see the facts file, §3). The
// `groups` claim is captured when the token is issued, with Entra's overage rule past 200.
import { SignJWT } from 'jose';
import { opaqueId } from '../base/ids';
import type { SigningKeyState } from '../base/crypto/signingKeys';
import { importPrivateKey } from '../base/crypto/signingKeys';
import type { WebCryptoKey } from '../base/crypto/types';

export const v1Issuer = (tenantId: string): string => `https://sts.windows.net/${tenantId}/`;

/** Entra back-dates `iat`/`nbf` by five minutes to absorb clock skew. */
export const CLOCK_SKEW_SECONDS = 300;

/**
 * Past this many groups a JWT carries an overage claim (`_claim_names`/`_claim_sources`) instead
 * of `groups` (access-token claims reference: "200 for JWT"). Group claims for service principals
 * are documented for optional claims as user-only; for Azure RBAC the managed-identity
 * best-practice doc says group membership "is expressed as claims in the access token", which
 * is the behaviour the lab models (the claim's exact name in MI tokens is unverified).
 */
export const GROUPS_CLAIM_LIMIT = 200;

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
  /** The groups the subject is in (transitively) when the token is issued. */
  groups?: readonly string[];
  /** Users' overage claims point at /users/…, service principals' at /servicePrincipals/…. */
  kind?: 'user' | 'servicePrincipal';
}

/** The claims naming where to read the groups when there are too many for the token. */
export interface GroupsOverage {
  _claim_names: { groups: 'src1' };
  _claim_sources: { src1: { endpoint: string } };
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
  groups?: string[];
  _claim_names?: GroupsOverage['_claim_names'];
  _claim_sources?: GroupsOverage['_claim_sources'];
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
  const groups = subject.groups ?? [];
  if (groups.length > GROUPS_CLAIM_LIMIT) Object.assign(claims, groupsOverage(subject.objectId, subject.kind ?? 'servicePrincipal'));
  else if (groups.length > 0) claims.groups = [...groups];
  return claims;
}

/** The overage shape (claims reference, "Groups overage claim"); the servicePrincipals path is the lab's choice (unverified). */
export function groupsOverage(objectId: string, kind: 'user' | 'servicePrincipal'): GroupsOverage {
  const collection = kind === 'user' ? 'users' : 'servicePrincipals';
  return {
    _claim_names: { groups: 'src1' },
    _claim_sources: { src1: { endpoint: `https://graph.microsoft.com/v1.0/${collection}/${objectId}/getMemberObjects` } },
  };
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

// Strict access-token verification, as a resource service does it: RS256 only (no `none`,
// no HMAC — so no algorithm confusion), a key the tenant publishes, the tenant's issuer,
// the service's audience (exactly as the service compares it), a required `exp`, and `exp`/`nbf` against the lab's clock with Entra's 5-minute
// skew allowance. Each failure has its own reason, for the service to answer in its words.
import type { RefusalRule } from '../trace/model';
import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { isJsonObject } from '../base/json';
import type { Lab } from '../lab/lab';
import { fromBase64 } from '../base/encoding';
import { isAcceptedAudience } from '../azure/audiences';

export type TokenRejection =
  'missing' | 'malformed' | 'algorithm' | 'unknownKey' | 'signature' | 'expired' | 'noExpiry' | 'notYetValid' | 'issuer' | 'audience';

export interface VerifiedToken {
  ok: true;
  claims: JWTPayload & Record<string, unknown>;
  header: Record<string, unknown>;
}

export interface RejectedToken {
  ok: false;
  reason: TokenRejection;
  /** What was wrong, for the trace and for messages that quote it (e.g. the audience found). */
  detail: string;
  /** Claims, when the token could be decoded at all (unverified!). */
  unverifiedClaims?: Record<string, unknown>;
}

export type TokenVerification = VerifiedToken | RejectedToken;

export const CLOCK_TOLERANCE_SECONDS = 300;

/** The refusal rule a trace records for a rejected token (diagnosis reads it). */
export function refusalRuleOf(reason: TokenRejection): RefusalRule {
  switch (reason) {
    case 'missing':
      return 'tokenMissing';
    case 'audience':
      return 'audience';
    case 'issuer':
      return 'issuer';
    case 'expired':
      return 'tokenExpired';
    default:
      return 'tokenInvalid';
  }
}

/** Issuers a v1 or v2 token of this tenant may carry. */
export function tenantIssuers(tenantId: string): string[] {
  return [`https://sts.windows.net/${tenantId}/`, `https://login.microsoftonline.com/${tenantId}/v2.0`];
}

function decodeClaims(token: string): Record<string, unknown> | undefined {
  const bytes = fromBase64(token.split('.')[1] ?? '');
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export interface VerifyOptions {
  /** Audiences the service accepts, exactly (engine/azure/audiences.ts). */
  audiences: readonly string[];
}

export async function verifyAccessToken(lab: Lab, token: string | undefined, options: VerifyOptions): Promise<TokenVerification> {
  if (!token) return { ok: false, reason: 'missing', detail: 'no bearer token' };
  if (token.length > 16_384 || token.split('.').length !== 3) {
    return { ok: false, reason: 'malformed', detail: 'not a JWS compact serialization' };
  }
  const unverifiedClaims = decodeClaims(token);
  const withClaims = (r: Omit<RejectedToken, 'ok'>): RejectedToken =>
    unverifiedClaims ? { ok: false, ...r, unverifiedClaims } : { ok: false, ...r };
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token) as Record<string, unknown>;
  } catch {
    return withClaims({ reason: 'malformed', detail: 'the header is not valid base64url JSON' });
  }
  if (!unverifiedClaims) return { ok: false, reason: 'malformed', detail: 'the claims are not valid base64url JSON' };
  if (header['alg'] !== 'RS256') {
    return withClaims({ reason: 'algorithm', detail: `alg '${String(header['alg'])}' is not accepted (RS256 only)` });
  }
  const jwks = lab.jwks();
  if (!jwks.keys.some(k => k.kid === header['kid'])) {
    return withClaims({ reason: 'unknownKey', detail: `no signing key with kid '${String(header['kid'])}'` });
  }

  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
      algorithms: ['RS256'],
      currentDate: new Date(lab.clock.now()),
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      // Entra's access tokens always carry exp; a token without one never expires, and no service takes it.
      requiredClaims: ['exp'],
    });
    const issuer = String(payload.iss ?? '');
    if (!tenantIssuers(lab.tenantId).includes(issuer)) return withClaims({ reason: 'issuer', detail: issuer });
    const audience = Array.isArray(payload.aud) ? payload.aud.join(',') : String(payload.aud ?? '');
    if (!isAcceptedAudience(options.audiences, audience)) return withClaims({ reason: 'audience', detail: audience });
    return { ok: true, claims: payload as VerifiedToken['claims'], header };
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      return withClaims({ reason: 'expired', detail: `expired at ${new Date(Number(unverifiedClaims['exp']) * 1000).toISOString()}` });
    }
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'exp' && error.reason === 'missing') {
      return withClaims({ reason: 'noExpiry', detail: 'the token has no exp claim' });
    }
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf') {
      return withClaims({
        reason: 'notYetValid',
        detail: `not valid before ${new Date(Number(unverifiedClaims['nbf']) * 1000).toISOString()}`,
      });
    }
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      return withClaims({ reason: 'signature', detail: 'the signature does not match the key' });
    }
    return withClaims({ reason: 'malformed', detail: error instanceof Error ? error.message : 'invalid token' });
  }
}

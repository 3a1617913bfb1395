// Microsoft Entra ID's token endpoint for the client-credentials grant (v2.0 and v1):
// a client secret, a certificate-signed client assertion, or a federated assertion from a
// trusted issuer (workload identity). Failures are the AADSTS errors people actually hit,
// with Entra's error body (error, error_description with trace ids, error_codes, …).
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, importX509, jwtVerify, errors } from 'jose';
import type { Lab } from '../../lab/lab';
import type { ReadonlyApplication, ReadonlyResource } from '../../state/labState';
import { findResourceApp, scopeToResource } from '../../azure/resourceApps';
import { federatedCredentialsOf, hashSecret, userAssignedIdentityByIdOrClientId } from '../../operations/applications';
import { accessTokenClaims, type IssuedAccessToken } from '../../azure/accessTokens';
import { clusterForIssuer } from './workloadIssuer';
import { publishedJwk } from '../../base/crypto/signingKeys';
import { newGuid, isGuid } from '../../base/ids';
import { fromBase64, sha1, sha256, toBase64Url, toPem } from '../../base/encoding';
import { CLOCK_TOLERANCE_SECONDS } from '../verifyToken';
import {
  applicationNotFound,
  assertionOutsideTimeRange,
  certificateNotRegistered,
  clientSecretExpired,
  invalidClientCredentialsScope,
  invalidClientSecret,
  resourcePrincipalNotFound,
  tenantNotFoundAtTokenEndpoint,
} from './messages';
import type { Refusal } from '../../trace/model';

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Client-credential access tokens live about an hour. */
const APP_TOKEN_LIFETIME_SECONDS = 3599;

export interface ClientCredentialsRequest {
  /** The tenant segment of the path: a tenant id or domain. */
  tenant: string;
  version: 'v1' | 'v2';
  form: ReadonlyMap<string, string>;
  /** Where the request arrived (`https://127.0.0.1:PORT`): a client assertion may name this host's token endpoint. */
  authorityHost?: string;
}

export interface ClientCredentialsResult {
  status: number;
  body: Record<string, unknown>;
  /** For the trace: who asked, how, and what happened. */
  summary: string;
  errorCode?: string;
  issued?: IssuedAccessToken;
  /** For failures: the facts of the refusal (diagnosis reads them). */
  refusal?: Refusal;
}

interface AadFailure {
  status: number;
  error: string;
  code: number;
  message: string;
}

const fail = (status: number, error: string, code: number, message: string): AadFailure => ({ status, error, code, message });

/** Entra's timestamps in messages: seven fractional digits, as .NET prints them (the assertion's own times are whole seconds). */
const aadTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');

function errorBody(lab: Lab, failure: AadFailure): Record<string, unknown> {
  const traceId = newGuid();
  const correlationId = newGuid();
  const timestamp = new Date(lab.clock.now())
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return {
    error: failure.error,
    error_description: `AADSTS${failure.code}: ${failure.message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [failure.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${failure.code}`,
  };
}

type Client =
  | { kind: 'application'; app: ReadonlyApplication; objectId: string; appId: string }
  | { kind: 'userAssignedIdentity'; identity: ReadonlyResource; objectId: string; appId: string };

function findClient(lab: Lab, clientId: string): Client | undefined {
  const app = lab.directory.application(clientId);
  if (app) {
    const sp = lab.directory.byClientId(app.appId);
    return sp ? { kind: 'application', app, objectId: sp.objectId, appId: app.appId } : undefined;
  }
  const identity = userAssignedIdentityByIdOrClientId(lab, clientId);
  if (identity?.managedIdentity && lab.directory.byObject(identity.managedIdentity.principalId)) {
    return {
      kind: 'userAssignedIdentity',
      identity,
      objectId: identity.managedIdentity.principalId,
      appId: identity.managedIdentity.clientId,
    };
  }
  return undefined;
}

export async function clientCredentials(lab: Lab, request: ClientCredentialsRequest): Promise<ClientCredentialsResult> {
  const outcome = await evaluate(lab, request);
  if ('code' in outcome) {
    const form = request.form;
    const clientId = form.get('client_id');
    const audience = form.get('scope') ?? form.get('resource');
    const refusal: Refusal = {
      rule: outcome.code === 500011 ? 'resourceNotFound' : 'entra',
      by: 'entra',
      errorCode: `AADSTS${outcome.code}`,
      ...(clientId ? { clientId: clientId.slice(0, 100) } : {}),
      ...(clientId && isGuid(clientId) && lab.directory.byClientId(clientId)
        ? { principalId: lab.directory.byClientId(clientId)!.objectId }
        : {}),
      ...(audience ? { audience: audience.slice(0, 300) } : {}),
      detail: outcome.message.slice(0, 600),
    };
    return {
      status: outcome.status,
      body: errorBody(lab, outcome),
      summary: `AADSTS${outcome.code}`,
      errorCode: `AADSTS${outcome.code}`,
      refusal,
    };
  }
  return outcome;
}

async function evaluate(lab: Lab, request: ClientCredentialsRequest): Promise<ClientCredentialsResult | AadFailure> {
  const tenant = lab.directory.tenant;
  const form = request.form;
  if (![tenant.tenantId, tenant.defaultDomain].some(t => t.toLowerCase() === request.tenant.toLowerCase())) {
    if (['common', 'organizations', 'consumers'].includes(request.tenant.toLowerCase())) {
      return fail(
        400,
        'invalid_request',
        50059,
        'No tenant-identifying information found in either the request or implied by any provided credentials.',
      );
    }
    return fail(400, 'invalid_request', 90002, tenantNotFoundAtTokenEndpoint(request.tenant.slice(0, 100)));
  }
  const grantType = form.get('grant_type');
  if (!grantType) return fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
  if (grantType !== 'client_credentials') {
    return fail(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType.slice(0, 100)}'.`);
  }
  const clientId = form.get('client_id');
  if (!clientId) return fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");

  let resource: string;
  if (request.version === 'v2') {
    const scope = form.get('scope');
    if (!scope) return fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
    if (!/\/\.default$/i.test(scope.trim()) || scope.trim().includes(' ')) {
      return fail(400, 'invalid_scope', 1002012, invalidClientCredentialsScope(scope.slice(0, 200)));
    }
    resource = scopeToResource(scope.trim());
  } else {
    const given = form.get('resource');
    if (!given) return fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'resource'.");
    resource = given;
  }

  const client = isGuid(clientId) ? findClient(lab, clientId) : undefined;
  if (!client) {
    return fail(400, 'unauthorized_client', 700016, applicationNotFound(clientId.slice(0, 100), tenant.displayName));
  }

  const authenticated = await authenticate(lab, client, form, request.authorityHost);
  if ('code' in authenticated) return authenticated;

  const app = findResourceApp(resource);
  if (!app) {
    return fail(400, 'invalid_resource', 500011, resourcePrincipalNotFound(resource.slice(0, 200), tenant.displayName));
  }

  const now = Math.floor(lab.clock.now() / 1000);
  const claims = accessTokenClaims(
    {
      tenantId: lab.tenantId,
      objectId: client.objectId,
      appId: client.appId,
      appIdAcr: authenticated.acr,
      ...(client.kind === 'userAssignedIdentity' ? { managedIdentityResourceId: client.identity.id } : {}),
      groups: lab.directory.memberOf(client.objectId),
    },
    resource,
    now,
    APP_TOKEN_LIFETIME_SECONDS,
  );
  const issued = await lab.tokenSigner.sign(claims);
  const expiresIn = claims.exp - now;
  const body: Record<string, unknown> =
    request.version === 'v2'
      ? { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: issued.accessToken }
      : {
          token_type: 'Bearer',
          expires_in: String(expiresIn),
          ext_expires_in: String(expiresIn),
          expires_on: String(claims.exp),
          not_before: String(claims.nbf),
          resource,
          access_token: issued.accessToken,
        };
  return { status: 200, body, summary: `access token for ${resource} (${authenticated.how})`, issued };
}

type Authenticated = { acr: '1' | '2'; how: string };

async function authenticate(
  lab: Lab,
  client: Client,
  form: ReadonlyMap<string, string>,
  authorityHost: string | undefined,
): Promise<Authenticated | AadFailure> {
  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  if (secret === undefined && assertion === undefined) {
    return fail(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  }
  if (secret !== undefined) {
    if (client.kind !== 'application') {
      return fail(401, 'invalid_client', 7000215, invalidClientSecret(client.appId));
    }
    return checkSecret(lab, client.app, secret);
  }
  if (form.get('client_assertion_type') !== JWT_BEARER) {
    return fail(400, 'invalid_request', 50027, `Invalid client_assertion_type: expected '${JWT_BEARER}'.`);
  }
  let claims: Record<string, unknown>;
  let header: Record<string, unknown>;
  try {
    claims = decodeJwt(assertion!) as Record<string, unknown>;
    header = decodeProtectedHeader(assertion!) as Record<string, unknown>;
  } catch {
    return fail(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.');
  }
  const timeFailure = checkAssertionTime(lab, claims);
  if (String(claims['iss']) === client.appId && client.kind === 'application') {
    if (timeFailure) return timeFailure;
    return checkCertificateAssertion(lab, client.app, assertion!, header, authorityHost);
  }
  return checkFederatedAssertion(lab, client, assertion!, claims, timeFailure);
}

async function checkSecret(lab: Lab, app: ReadonlyApplication, secret: string): Promise<Authenticated | AadFailure> {
  const hash = await hashSecret(secret);
  const now = lab.clock.now();
  const match = app.passwordCredentials.find(c => constantTimeEqual(c.secretHash, hash));
  if (!match) {
    return fail(401, 'invalid_client', 7000215, invalidClientSecret(app.appId));
  }
  if (match.endDateTime < now) {
    return fail(401, 'invalid_client', 7000222, clientSecretExpired(app.appId));
  }
  return { acr: '1', how: 'client secret' };
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** AADSTS700024 on the lab clock: an assertion (a projected service-account token, a certificate assertion) past its lifetime. */
function checkAssertionTime(lab: Lab, claims: Record<string, unknown>): AadFailure | undefined {
  const nowMs = lab.clock.now();
  const now = nowMs / 1000;
  const exp = Number(claims['exp']);
  const nbf = Number(claims['nbf'] ?? claims['iat'] ?? 0);
  if (!Number.isFinite(exp) || now - CLOCK_TOLERANCE_SECONDS > exp || now + CLOCK_TOLERANCE_SECONDS < nbf) {
    // 400, as the token endpoint answers it in real logs (research notes time-and-chain.md §6).
    return fail(
      400,
      'invalid_client',
      700024,
      assertionOutsideTimeRange(aadTime(nowMs), aadTime(nbf * 1000), Number.isFinite(exp) ? aadTime(exp * 1000) : 'unknown'),
    );
  }
  return undefined;
}

/** Signature algorithms accepted for certificate client assertions: the two MSAL signs with (PS256 with x5t#S256, RS256 with x5t). */
const ASSERTION_ALGORITHMS = ['RS256', 'PS256'];

/**
 * The audiences a certificate assertion may name: the tenant's token endpoint, v2.0 or v1, by
 * tenant id or domain (certificate-credentials doc: `https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token`),
 * at login.microsoftonline.com or at the lab's own host (what MSAL sends, from the lab's discovery document).
 */
function assertionAudiences(lab: Lab, authorityHost: string | undefined): Set<string> {
  const tenant = lab.directory.tenant;
  const hosts = ['https://login.microsoftonline.com', ...(authorityHost ? [authorityHost] : [])];
  const audiences = new Set<string>();
  for (const host of hosts) {
    for (const t of [tenant.tenantId, tenant.defaultDomain]) {
      for (const path of ['oauth2/v2.0/token', 'oauth2/token']) audiences.add(`${host}/${t}/${path}`.toLowerCase());
    }
  }
  return audiences;
}

async function checkCertificateAssertion(
  lab: Lab,
  app: ReadonlyApplication,
  assertion: string,
  header: Record<string, unknown>,
  authorityHost: string | undefined,
): Promise<Authenticated | AadFailure> {
  const x5t = typeof header['x5t'] === 'string' ? header['x5t'] : undefined;
  const x5tS256 = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : undefined;
  let key: (typeof app.keyCredentials)[number] | undefined;
  for (const credential of app.keyCredentials) {
    const der = fromBase64(credential.certificate);
    if (!der) continue;
    if ((x5t && toBase64Url(await sha1(der)) === x5t) || (x5tS256 && toBase64Url(await sha256(der)) === x5tS256)) key = credential;
  }
  if (!key) {
    const thumbprint = x5t
      ? Array.from(fromBase64(x5t) ?? [], b => b.toString(16).padStart(2, '0'))
          .join('')
          .toUpperCase()
      : String(x5tS256 ?? 'none');
    return fail(401, 'invalid_client', 700027, certificateNotRegistered(thumbprint, app.appId));
  }
  let audiences: unknown[];
  try {
    const alg = String(header['alg'] ?? 'RS256');
    if (!ASSERTION_ALGORITHMS.includes(alg)) throw new Error(`alg ${alg}`);
    const publicKey = await importX509(toPem('CERTIFICATE', fromBase64(key.certificate)!), alg);
    const { payload } = await jwtVerify(assertion, publicKey, {
      algorithms: ASSERTION_ALGORITHMS,
      currentDate: new Date(lab.clock.now()),
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      issuer: app.appId,
      subject: app.appId,
    });
    audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  } catch {
    return fail(401, 'invalid_client', 50012, 'Client assertion failed signature validation.');
  }
  const accepted = assertionAudiences(lab, authorityHost);
  if (!audiences.some(aud => typeof aud === 'string' && accepted.has(aud.toLowerCase()))) {
    // Code and text as in a real log (AzureAD/microsoft-authentication-library-for-dotnet#2746);
    // not in the facts file, so unverified against today's Entra, as is the 401 status.
    return fail(
      401,
      'invalid_client',
      700023,
      'Client assertion audience claim does not match Realm issuer. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .',
    );
  }
  return { acr: '2', how: `certificate ${key.thumbprint}` };
}

async function checkFederatedAssertion(
  lab: Lab,
  client: Client,
  assertion: string,
  claims: Record<string, unknown>,
  timeFailure: AadFailure | undefined,
): Promise<Authenticated | AadFailure> {
  const target = client.kind === 'application' ? client.appId : client.identity.id;
  const credentials = federatedCredentialsOf(lab, target) ?? [];
  const issuer = String(claims['iss'] ?? '');
  const subject = String(claims['sub'] ?? '');
  const audiences = Array.isArray(claims['aud']) ? claims['aud'].map(String) : [String(claims['aud'] ?? '')];
  const sameIssuer = credentials.filter(c => c.issuer === issuer);
  if (sameIssuer.length === 0) {
    return fail(
      401,
      'invalid_client',
      70021,
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${issuer.slice(0, 300)}'. Assertion Subject: '${subject.slice(0, 300)}'. Assertion Audience: '${audiences.join(',').slice(0, 300)}'. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`,
    );
  }
  // Matching is case-sensitive, and every part must match.
  const match = sameIssuer.find(c => c.subject === subject && c.audiences.some(a => audiences.includes(a)));
  if (!match) {
    return fail(
      401,
      'invalid_client',
      700213,
      `No matching federated identity record found for presented assertion subject '${subject.slice(0, 300)}'. Please note that the matching is done using a case-sensitive comparison. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`,
    );
  }
  if (timeFailure) return timeFailure;
  const cluster = clusterForIssuer(lab, issuer);
  if (!cluster) {
    return fail(
      400,
      'invalid_request',
      50166,
      `Request to External OIDC endpoint failed. (The lab cannot reach '${issuer.slice(0, 200)}'; only its own AKS clusters' issuers can be verified offline.)`,
    );
  }
  try {
    const key = await lab.workloadIssuerKey();
    await jwtVerify(assertion, createLocalJWKSet({ keys: [publishedJwk(key, issuer)] }), {
      algorithms: ['RS256'],
      currentDate: new Date(lab.clock.now()),
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      return timeFailure ?? fail(400, 'invalid_client', 700024, 'Client assertion is not within its valid time range.');
    }
    return fail(401, 'invalid_client', 50013, 'Assertion failed signature validation.');
  }
  return { acr: '2', how: `federated credential '${match.name}' (${subject})` };
}

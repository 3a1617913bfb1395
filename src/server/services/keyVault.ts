// Key Vault's data plane over HTTPS, at each vault's own host name on the lab's port
// (https://{vault}.vault.azure.net:PORT/ — what ARM reports as properties.vaultUri).
// Challenge-based auth as Key Vault does it: a request without a token gets 401 with
// `WWW-Authenticate: Bearer authorization="…", resource="https://vault.azure.net"` (the
// @azure/keyvault-* SDKs send their first request that way on purpose), then RBAC or access
// policies decide. Bodies and codes: facts file §3 and Key Vault's REST reference.
import type { ServerResponse } from 'node:http';
import type { EndpointContext } from '../context';
import type { ParsedRequest } from '../http';
import { BodyTooLarge, headersForTrace, isTags, readBody, sendJson, single } from '../http';
import { serviceUrlsFor } from './serviceUrls';
import { appHost, hostOfToken, verifyBearer } from './bearer';
import { findResourceApp } from '../../engine/azure/resourceApps';
import { trimChar } from '../../engine/base/encoding';
import { callerFromClaims, refusalOf, ServiceError } from '../../engine/services/dataCaller';
import type { AuthorizationNote, Refusal } from '../../engine/trace/model';
import { tokenRefusal } from './bearer';
import { deleteSecret, findVaultByName, getSecret, listSecrets, listSecretVersions, setSecret } from '../../engine/services/keyVault';
import { TraceBuilder } from '../../engine/trace/builder';
import type { RejectedToken } from '../../engine/services/verifyToken';
import type { ReadonlyResource } from '../../engine/state/labState';

const KEY_VAULT = findResourceApp('https://vault.azure.net')!;
const AUDIENCES = [...KEY_VAULT.identifierUris, KEY_VAULT.appId];
/** Service versions the Key Vault secrets API answers (the JS SDK's allowed list). */
const API_VERSIONS = new Set(['7.0', '7.1', '7.2', '7.3', '7.4', '7.5', '7.6', '2025-07-01', '2026-04-01']);
const LATEST = '2026-04-01';
/** Tenants Key Vault names in AKV10032 besides the vault's own (Microsoft's first-party tenants). */
const FIRST_PARTY_ISSUERS = [
  'https://sts.windows.net/f8cdef31-a31e-4b4a-93e4-5f571e91255a/',
  'https://sts.windows.net/e2d54eb5-3869-4f70-8578-dee5fc7331f4/',
];

function errorBody(code: string, message: string, inner?: string): Record<string, unknown> {
  return { error: inner ? { code, message, innererror: { code: inner } } : { code, message } };
}

function challenge(ctx: EndpointContext): Record<string, string> {
  // Real header (Azure SDK recordings): Bearer authorization="https://login.windows.net/<tenant>", resource="https://vault.azure.net"
  return { 'WWW-Authenticate': `Bearer authorization="https://login.windows.net/${ctx.lab.tenantId}", resource="https://vault.azure.net"` };
}

function rejection(ctx: EndpointContext, rejected: RejectedToken): { message: string; code: string } {
  switch (rejected.reason) {
    case 'missing':
      return { code: 'AKV10000', message: 'AKV10000: Request is missing a Bearer or PoP token.' };
    case 'audience':
      return { code: 'AKV10022', message: `AKV10022: Invalid audience. Expected https://vault.azure.net, found: ${rejected.detail}.` };
    case 'issuer':
      return {
        code: 'AKV10032',
        message: `AKV10032: Invalid issuer. Expected one of https://sts.windows.net/${ctx.lab.tenantId}/, ${FIRST_PARTY_ISSUERS.join(', ')}, found ${rejected.detail}.`,
      };
    case 'expired':
      return { code: 'TokenExpired', message: "[TokenExpired] Error validating token: 'S2S12086'." };
    case 'notYetValid':
      // Unverified wording: Key Vault's message for a token used before its nbf.
      return { code: 'TokenNotYetValid', message: "[TokenNotYetValid] Error validating token: 'S2S12087'." };
    case 'unknownKey':
      return { code: 'AKV10046', message: 'AKV10046: Unable to resolve the key used for signature validation.' };
    default:
      // Unverified wording for a token that cannot be read or whose signature is wrong.
      return { code: 'BearerReadAccessTokenFailed', message: "[BearerReadAccessTokenFailed] Error validating token: 'S2S12005'." };
  }
}

export async function handleKeyVault(
  ctx: EndpointContext,
  req: ParsedRequest,
  vaultName: string,
  path: string,
  res: ServerResponse,
): Promise<void> {
  const vault = findVaultByName(ctx.lab, vaultName);
  if (!vault) {
    // No such vault: on Azure the name would not even resolve in DNS.
    sendJson(res, 404, errorBody('VaultNotFound', `No vault named '${vaultName.slice(0, 100)}' in this lab.`));
    return;
  }
  const rest = trimChar(path, '/');
  const serviceId = `keyvault:${vault.name.toLowerCase()}`;
  const started = ctx.lab.clock.now();
  const verified = await verifyBearer(ctx.lab, req, AUDIENCES);
  const hostId = verified.ok ? hostOfToken(ctx.lab, verified.claims) : undefined;
  const joined = hostId ? ctx.flows.claimForRetry(hostId, serviceId) : undefined;
  const builder =
    joined?.builder ??
    new TraceBuilder(ctx.lab.clock, `Key Vault ${vault.name}: ${req.method.slice(0, 10)} ${rest.slice(0, 120) || '/'}`, started);
  const host = appHost(ctx, req, hostId);
  const app = joined?.app ?? builder.participant('app', verified.ok ? appLabel(ctx, verified.claims, host) : 'App', '', host?.id);
  if (host) builder.runsAs(host.id);
  const kv = builder.participant('keyvault', `Key Vault ${vault.name}`, '', vault.id);
  const http = { method: req.method.slice(0, 20), url: req.rawUrl.slice(0, 2000), requestHeaders: headersForTrace(req.headers) };
  builder.add({
    from: app,
    to: kv,
    kind: 'request',
    label: `${req.method.slice(0, 10)} /${rest.slice(0, 120)}${verified.ok ? ' (with token)' : ''}`,
    http,
    ...(verified.ok ? { notes: [`token aud ${String(verified.claims.aud)}, oid ${String(verified.claims['oid'])}`] } : {}),
  });

  const respond = (
    status: number,
    body: unknown,
    label: string,
    extra: {
      errorCode?: string;
      notes?: string[];
      headers?: Record<string, string>;
      authorization?: AuthorizationNote;
      refusal?: Refusal;
    } = {},
  ) => {
    const text = sendJson(res, status, body, extra.headers ?? {});
    if (extra.refusal) builder.refuse({ ...extra.refusal, targetResourceId: vault.id });
    const shown = status < 300 ? redactSecretValues(text) : text;
    builder.add({
      from: kv,
      to: app,
      kind: 'response',
      status,
      label,
      errorCode: extra.errorCode,
      notes: extra.notes,
      authorization: extra.authorization,
      http: { ...http, status, responseBody: shown.slice(0, 4000) },
    });
    if (status === 401 && !verified.ok && verified.reason === 'missing') {
      ctx.flows.opened({ builder, app, service: serviceId, resource: 'https://vault.azure.net' });
      return;
    }
    ctx.lab.traces.add(builder.finish());
  };

  if (!verified.ok) {
    const { code, message } = rejection(ctx, verified);
    respond(
      401,
      errorBody('Unauthorized', message),
      verified.reason === 'missing' ? 'challenge: Bearer authorization=…, resource=https://vault.azure.net' : message,
      {
        errorCode: code,
        headers: challenge(ctx),
        notes: [
          verified.reason === 'missing'
            ? 'Key Vault answers the first, token-less request with a challenge naming the tenant and the resource to get a token for.'
            : `Token refused: ${verified.detail}`,
        ],
        refusal: tokenRefusal(ctx.lab, verified, 'keyvault', code),
      },
    );
    return;
  }
  const apiVersion = single(req, 'api-version');
  if (!apiVersion || !API_VERSIONS.has(apiVersion)) {
    respond(
      400,
      errorBody(
        'BadParameter',
        apiVersion
          ? `The specified version (${apiVersion.slice(0, 40)}) is not recognized. Consider using the latest supported version (${LATEST}).`
          : 'The api-version query parameter is required.',
      ),
      'bad api-version',
      {
        errorCode: 'BadParameter',
        refusal: { rule: 'endpointProtocol', by: 'keyvault', errorCode: 'BadParameter', detail: 'api-version' },
      },
    );
    return;
  }
  const caller = callerFromClaims(ctx.lab, verified.claims);
  try {
    const { status, body, label, authorization } = await operate(ctx, req, vault, rest, caller);
    respond(status, body, label, { authorization, notes: [authorization.reasons[0] ?? ''] });
  } catch (error) {
    if (error instanceof ServiceError) {
      respond(
        error.status,
        errorBody(error.code, error.message, error.innerCode),
        `${error.code}${error.innerCode ? ` (${error.innerCode})` : ''}`,
        {
          errorCode: error.innerCode ?? error.code,
          ...(error.authorization ? { authorization: error.authorization, notes: error.authorization.reasons.slice(0, 3) } : {}),
          refusal: refusalOf(error, 'keyvault', caller),
        },
      );
      return;
    }
    if (error instanceof BodyTooLarge) {
      respond(413, errorBody('RequestEntityTooLarge', 'The request body is too large.'), 'too large', {
        errorCode: 'RequestEntityTooLarge',
        refusal: { rule: 'endpointProtocol', by: 'keyvault', errorCode: 'RequestEntityTooLarge' },
      });
      return;
    }
    throw error;
  }
}

function appLabel(ctx: EndpointContext, claims: Record<string, unknown>, host: ReadonlyResource | undefined): string {
  if (host) return `App on ${host.name}`;
  const principal = ctx.lab.directory.principal(String(claims['oid'] ?? ''));
  return principal ? (principal.kind === 'User' ? `${principal.displayName} (az)` : `App as ${principal.displayName}`) : 'App';
}

const SECRET_PATH = /^secrets\/([^/]+)(?:\/([^/]+))?$/i;

async function operate(
  ctx: EndpointContext,
  req: ParsedRequest,
  vault: ReadonlyResource,
  rest: string,
  caller: ReturnType<typeof callerFromClaims>,
) {
  const lab = ctx.lab;
  if (/^secrets$/i.test(rest) && req.method === 'GET') {
    const { result, authorization } = listSecrets(lab, caller, vault.id, serviceUrlsFor(ctx, req));
    return { status: 200, body: { value: result, nextLink: null }, label: `${result.length} secret(s)`, authorization };
  }
  const match = SECRET_PATH.exec(rest);
  if (!match) {
    throw new ServiceError(
      400,
      'BadParameter',
      `The request URI contains an invalid operation: ${req.method.slice(0, 10)} /${rest.slice(0, 200)}.`,
    );
  }
  // The router has already percent-decoded the path: decoding again would turn %25zz into a URIError.
  const name = match[1]!;
  const second = match[2];
  if (second?.toLowerCase() === 'versions' && req.method === 'GET') {
    const { result, authorization } = listSecretVersions(lab, caller, vault.id, name, serviceUrlsFor(ctx, req));
    return { status: 200, body: { value: result, nextLink: null }, label: `${result.length} version(s)`, authorization };
  }
  switch (req.method) {
    case 'GET': {
      const { result, authorization } = getSecret(lab, caller, vault.id, name, second, serviceUrlsFor(ctx, req));
      return { status: 200, body: result, label: `secret ${name} (value returned)`, authorization };
    }
    case 'PUT': {
      if (second) break;
      let parsed: { value?: unknown; contentType?: unknown; tags?: unknown };
      try {
        parsed = JSON.parse((await readBody(req, 64 * 1024)).toString('utf8') || '{}') as typeof parsed;
      } catch (error) {
        if (error instanceof BodyTooLarge) throw error;
        throw new ServiceError(400, 'BadParameter', 'The request body is not valid JSON.');
      }
      if (typeof parsed.value !== 'string') throw new ServiceError(400, 'BadParameter', 'Property value is required.');
      // Tags must be strings (as ARM's); anything else would be saved and then fail the state file's
      // schema on the next start. Key Vault's exact wording for this 400 is unverified.
      if (parsed.tags !== undefined && parsed.tags !== null && !isTags(parsed.tags)) {
        throw new ServiceError(400, 'BadParameter', 'Property tags must be an object whose values are strings.');
      }
      const tags = isTags(parsed.tags) ? parsed.tags : undefined;
      const { result, authorization } = setSecret(
        lab,
        caller,
        vault.id,
        name,
        parsed.value,
        { ...(typeof parsed.contentType === 'string' ? { contentType: parsed.contentType } : {}), ...(tags ? { tags } : {}) },
        serviceUrlsFor(ctx, req),
      );
      return { status: 200, body: result, label: `secret ${name} set`, authorization };
    }
    case 'DELETE': {
      if (second) break;
      const { result, authorization } = deleteSecret(lab, caller, vault.id, name, serviceUrlsFor(ctx, req));
      return { status: 200, body: result, label: `secret ${name} deleted (recoverable)`, authorization };
    }
  }
  throw new ServiceError(405, 'MethodNotAllowed', `The method ${req.method.slice(0, 10)} is not allowed on /${rest.slice(0, 200)}.`);
}

/** Traces show that a value was returned, never the value. */
function redactSecretValues(text: string): string {
  return text.replace(/"value":"(?:[^"\\]|\\.)*"/g, '"value":"[secret value redacted]"');
}

// Microsoft Entra ID's public endpoints under /{tenant}/: OpenID discovery, the signing
// keys (JWKS), the token endpoint (v2.0 and v1) for the client-credentials grant, and MSAL's
// instance discovery (/common/discovery/instance). Served over HTTPS on the lab's port, and
// under `milab run` as login.microsoftonline.com itself.
import type { ServerResponse } from 'node:http';
import type { EndpointContext } from '../context';
import type { ParsedRequest } from '../http';
import { BodyTooLarge, header, headersForTrace, readBody, redactToken, sendJson } from '../http';
import { isGuid } from '../../engine/base/ids';
import { clientCredentials } from '../../engine/services/entra/clientCredentials';
import { tenantNotFound as tenantNotFoundText } from '../../engine/services/entra/messages';
import { instanceDiscovery } from '../../engine/services/entra/instanceDiscovery';
import { TraceBuilder } from '../../engine/trace/builder';

const WELL_KNOWN = new Set(['common', 'organizations', 'consumers']);
const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

/** Whether a first path segment names a tenant: a GUID, a domain, or common/organizations/consumers. */
export const isTenantSegment = (segment: string): boolean =>
  isGuid(segment) || WELL_KNOWN.has(segment.toLowerCase()) || DOMAIN.test(segment);

const ROUTES = {
  openIdV2: /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration\/?$/i,
  openIdV1: /^\/([^/]+)\/\.well-known\/openid-configuration\/?$/i,
  keys: /^\/([^/]+)\/discovery(?:\/v2\.0)?\/keys\/?$/i,
  tokenV2: /^\/([^/]+)\/oauth2\/v2\.0\/token\/?$/i,
  tokenV1: /^\/([^/]+)\/oauth2\/token\/?$/i,
  instanceDiscovery: /^\/common\/discovery\/instance\/?$/i,
};

const FORM_LIMIT = 64 * 1024;
/** Token-request fields a trace shows; any other (client_secret, client_assertion, password, refresh_token, code, …) is redacted. */
const SHOWN_FIELDS = new Set(['grant_type', 'client_id', 'scope', 'resource', 'client_assertion_type']);

function baseUrl(req: ParsedRequest): string {
  const host = header(req, 'host') ?? '127.0.0.1';
  return `https://${/^[\w.:[\]-]+$/.test(host) ? host : '127.0.0.1'}`;
}

function openIdConfiguration(ctx: EndpointContext, req: ParsedRequest, version: 'v1' | 'v2'): Record<string, unknown> {
  const tenantId = ctx.lab.tenantId;
  const base = `${baseUrl(req)}/${tenantId}`;
  const v2 = version === 'v2';
  return {
    token_endpoint: `${base}/oauth2/${v2 ? 'v2.0/' : ''}token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/${v2 ? 'v2.0/' : ''}keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', v2 ? 'id_token token' : 'token id_token', 'token'],
    scopes_supported: v2 ? ['openid', 'profile', 'email', 'offline_access'] : ['openid'],
    // The real issuer: msal accepts a login.microsoftonline.com issuer for any authority host.
    issuer: v2 ? `https://login.microsoftonline.com/${tenantId}/v2.0` : `https://sts.windows.net/${tenantId}/`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${base}/oauth2/${v2 ? 'v2.0/' : ''}authorize`,
    device_authorization_endpoint: `${base}/oauth2/${v2 ? 'v2.0/' : ''}devicecode`,
    tenant_region_scope: 'NA',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
  };
}

export async function handleEntra(ctx: EndpointContext, req: ParsedRequest, path: string, res: ServerResponse): Promise<void> {
  const tenantOf = (match: RegExpExecArray) => match[1]!;
  let match: RegExpExecArray | null;
  if ((match = ROUTES.openIdV2.exec(path)) || (match = ROUTES.openIdV1.exec(path))) {
    if (!sameTenant(ctx, tenantOf(match))) return tenantNotFound(res, tenantOf(match));
    return void sendJson(res, 200, openIdConfiguration(ctx, req, ROUTES.openIdV2.test(path) ? 'v2' : 'v1'));
  }
  if ((match = ROUTES.keys.exec(path))) {
    if (!sameTenant(ctx, tenantOf(match)) && !WELL_KNOWN.has(tenantOf(match).toLowerCase())) return tenantNotFound(res, tenantOf(match));
    return void sendJson(res, 200, ctx.lab.jwks(), { 'Cache-Control': 'max-age=86400, private' });
  }
  if (ROUTES.instanceDiscovery.test(path)) {
    const answer = instanceDiscovery(req.query.get('authorization_endpoint')?.[0], header(req, 'host') ?? '');
    return void sendJson(res, answer.status, answer.body);
  }
  const v2 = ROUTES.tokenV2.exec(path);
  const v1 = v2 ? null : ROUTES.tokenV1.exec(path);
  if (v2 || v1) return token(ctx, req, res, tenantOf((v2 ?? v1)!), v2 ? 'v2' : 'v1');
  sendJson(res, 404, {
    error: 'invalid_request',
    error_description: `AADSTS90019: The requested path ${path.slice(0, 200)} is not served by this lab's Microsoft Entra ID.`,
  });
}

function sameTenant(ctx: EndpointContext, tenant: string): boolean {
  const t = ctx.lab.directory.tenant;
  return tenant.toLowerCase() === t.tenantId.toLowerCase() || tenant.toLowerCase() === t.defaultDomain.toLowerCase();
}

function tenantNotFound(res: ServerResponse, tenant: string): void {
  sendJson(res, 400, {
    error: 'invalid_tenant',
    error_description: `AADSTS90002: ${tenantNotFoundText(tenant.slice(0, 100))}`,
  });
}

async function token(ctx: EndpointContext, req: ParsedRequest, res: ServerResponse, tenant: string, version: 'v1' | 'v2'): Promise<void> {
  const trace = new TraceBuilder(ctx.lab.clock, 'Client credentials token request');
  const run = ctx.runs.of(req.raw);
  if (run) trace.runsAs(run.hostId);
  const client = trace.participant('app', run ? `App on ${run.hostName}` : 'Client application', '', run?.hostId);
  const entra = trace.participant('entra', 'Microsoft Entra ID');
  const http = { method: req.method.slice(0, 20), url: req.rawUrl.slice(0, 2000), requestHeaders: headersForTrace(req.headers) };
  const respond = (status: number, body: Record<string, unknown>, label: string, errorCode?: string, protocolError = false) => {
    if (protocolError && errorCode) trace.refuse({ rule: 'endpointProtocol', by: 'entra', errorCode, detail: label });
    const text = sendJson(res, status, body, { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' });
    const shown =
      typeof body['access_token'] === 'string' ? JSON.stringify({ ...body, access_token: redactToken(body['access_token']) }) : text;
    trace.add({
      from: entra,
      to: client,
      kind: 'response',
      status,
      label,
      ...(errorCode ? { errorCode } : {}),
      http: { ...http, status, responseBody: shown.slice(0, 4000) },
    });
    ctx.lab.traces.add(trace.finish());
  };
  if (req.method !== 'POST') {
    trace.add({ from: client, to: entra, kind: 'request', label: `${http.method} /oauth2/token`, http });
    return respond(
      405,
      { error: 'invalid_request', error_description: 'AADSTS900561: The endpoint only accepts POST requests.' },
      'only POST',
      'AADSTS900561',
      true,
    );
  }
  let form: Map<string, string>;
  try {
    const body = (await readBody(req, FORM_LIMIT)).toString('utf8');
    form = new Map();
    for (const [name, value] of new URLSearchParams(body)) {
      if (form.has(name)) throw new Error(name);
      form.set(name, value);
    }
  } catch (error) {
    trace.add({ from: client, to: entra, kind: 'request', label: 'POST /oauth2/token', http });
    const tooLarge = error instanceof BodyTooLarge;
    return respond(
      400,
      {
        error: 'invalid_request',
        error_description: tooLarge
          ? 'AADSTS90020: The request body is too large.'
          : `AADSTS90015: Requested query string is too long or a parameter is repeated ('${String((error as Error).message).slice(0, 50)}').`,
      },
      'invalid request',
      tooLarge ? 'AADSTS90020' : 'AADSTS90015',
      true,
    );
  }
  const clientId = form.get('client_id') ?? 'unknown client';
  trace.title = `Client credentials for ${form.get('scope') ?? form.get('resource') ?? '?'} as ${clientId}`;
  const redacted = [...form].map(([k, v]) => `${k}=${SHOWN_FIELDS.has(k) ? v : '[redacted]'}`).join('&');
  trace.add({
    from: client,
    to: entra,
    kind: 'request',
    label: `POST /${version === 'v2' ? 'oauth2/v2.0/token' : 'oauth2/token'} grant_type=${form.get('grant_type') ?? '?'}`,
    notes: [`client_id ${clientId}`],
    http: { ...http, requestBody: redacted.slice(0, 4000) },
  });
  const result = await clientCredentials(ctx.lab, { tenant, version, form, authorityHost: baseUrl(req) });
  if (result.refusal) trace.refuse(result.refusal);
  respond(result.status, result.body, result.summary, result.errorCode);
}

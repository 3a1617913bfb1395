// The Azure Instance Metadata Service identity endpoint, one per compute host:
//   GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=…  (Metadata: true)
// Protocol and error bodies: MicrosoftDocs entra-docs how-to-use-vm-token.md and the IMDS
// Swagger (azure-rest-api-specs specification/imds/…/imds.json); see the facts file §1.
import type { ServerResponse } from 'node:http';
import type { ResourceState } from '../engine/model/state';
import type { IdentitySelector } from '../engine/managedIdentity/acquire';
import { TraceBuilder } from '../engine/trace/builder';
import type { EndpointContext } from './context';
import type { ParsedRequest } from './http';
import { header, headersForTrace, redactToken, repeatedParameters, sendJson, single } from './http';

/** api-versions the identity endpoint accepts (IMDS docs list; 2018-02-01 is what the SDKs send). */
export const IMDS_API_VERSIONS = [
  '2018-02-01', '2018-04-02', '2018-10-01', '2019-02-01', '2019-03-11', '2019-04-30', '2019-06-01', '2019-06-04',
  '2019-08-01', '2019-08-15', '2019-11-01', '2020-06-01', '2020-07-15', '2020-09-01', '2020-10-01', '2020-12-01',
  '2021-01-01', '2021-02-01', '2021-03-01', '2021-05-01', '2021-08-01', '2021-10-01', '2021-11-01', '2021-11-15',
  '2021-12-13', '2023-07-01',
];
const NEWEST_VERSIONS = ['2023-07-01', '2021-12-13', '2021-11-15'];

const SELECTORS: ReadonlyArray<[string, IdentitySelector['by']]> = [
  ['client_id', 'clientId'],
  ['object_id', 'objectId'],
  ['msi_res_id', 'resourceId'],
  ['mi_res_id', 'resourceId'],
];

interface ImdsError {
  status: number;
  body: Record<string, unknown>;
  label: string;
  explanation: string;
}

const error = (status: number, code: string, description: string, explanation: string): ImdsError => ({
  status,
  body: { error: code, error_description: description },
  label: description,
  explanation,
});

/** Checks everything that does not depend on the lab's state; returns the error to answer, if any. */
function validate(req: ParsedRequest): ImdsError | { resource: string; selector?: IdentitySelector; bypassCache: boolean } {
  if (req.method !== 'GET') {
    return error(405, 'method_not_allowed', `The requested resource does not support http method '${req.method.slice(0, 20)}'.`, 'The IMDS token endpoint only answers GET.');
  }
  // IMDS refuses anything that came through a proxy (a request relayed from outside the VM).
  if (header(req, 'x-forwarded-for') !== undefined) {
    return error(400, 'bad_request', 'Request contains X-Forwarded-For header', 'IMDS refuses requests that carry X-Forwarded-For: it must be called from inside the VM, never through a proxy.');
  }
  if ((header(req, 'metadata') ?? '').toLowerCase() !== 'true') {
    return error(400, 'bad_request_102', 'Required metadata header not specified', "IMDS requires the header 'Metadata: true', which a browser or a proxied request (SSRF) cannot add.");
  }
  const repeated = repeatedParameters(req);
  if (repeated.length > 0) {
    return error(400, 'invalid_request', `Query parameter '${repeated[0]!.slice(0, 100)}' is specified more than once`, 'IMDS rejects requests that repeat a query parameter.');
  }
  const apiVersion = single(req, 'api-version');
  if (apiVersion === undefined || !IMDS_API_VERSIONS.includes(apiVersion)) {
    // The instance endpoint's documented shape; the identity endpoint's exact text is unverified.
    const reason = apiVersion === undefined ? 'api-version was not specified in the request' : 'Invalid api-version specified';
    return {
      status: 400,
      body: { error: `Bad request. ${reason}. For more information refer to aka.ms/azureimds`, 'newest-versions': NEWEST_VERSIONS },
      label: reason,
      explanation: 'Every IMDS call needs a supported api-version, e.g. 2018-02-01.',
    };
  }
  const resource = single(req, 'resource');
  if (!resource) {
    return error(400, 'invalid_request', 'Required audience parameter not specified', "A token request must say which API the token is for, e.g. resource=https://vault.azure.net.");
  }
  const given = SELECTORS.filter(([name]) => req.query.has(name));
  if (given.length > 1) {
    return error(400, 'invalid_request', 'Only one of client_id, object_id or msi_res_id may be specified', 'client_id, object_id and msi_res_id are mutually exclusive: name the identity one way.');
  }
  const bypassCache = (single(req, 'bypass_cache') ?? '').toLowerCase() === 'true';
  const chosen = given[0];
  if (!chosen) return { resource, bypassCache };
  return { resource, bypassCache, selector: { by: chosen[1], value: single(req, chosen[0]) ?? '' } };
}

export async function handleImdsToken(ctx: EndpointContext, host: ResourceState, req: ParsedRequest, res: ServerResponse): Promise<void> {
  const validated = validate(req);
  const resourceParam = 'resource' in validated ? validated.resource : single(req, 'resource');
  const trace = new TraceBuilder(ctx.lab.clock, resourceParam ? `Token for ${resourceParam} as ${host.name}` : `IMDS request as ${host.name}`);
  trace.runsAs(host.id);
  const app = trace.participant('app', `App on ${host.name}`, host.id, host.id);
  const imds = trace.participant('imds', 'IMDS (169.254.169.254)');
  const http = { method: req.method, url: req.rawUrl.slice(0, 2000), requestHeaders: headersForTrace(req.headers) };
  trace.add({ from: app, to: imds, kind: 'request', label: `GET /metadata/identity/oauth2/token`, notes: resourceParam ? [`resource=${resourceParam}`] : [], http });

  const reply = (status: number, body: Record<string, unknown>, label: string, extra: { errorCode?: string; notes?: string[] } = {}) => {
    const text = sendJson(res, status, body);
    const shown = typeof body['access_token'] === 'string' ? JSON.stringify({ ...body, access_token: redactToken(body['access_token']) }) : text;
    trace.add({ from: imds, to: app, kind: 'response', status, label, ...extra, http: { ...http, status, responseBody: shown } });
    ctx.lab.traces.add(trace.finish());
  };

  if ('status' in validated) {
    const code = typeof validated.body['error'] === 'string' && validated.body['error'].length < 40 ? validated.body['error'] : 'bad_request';
    reply(validated.status, validated.body, validated.label, { errorCode: code, notes: [validated.explanation] });
    return;
  }

  const result = await ctx.managedIdentityTokens.acquire(host, validated.resource, validated.selector, {
    bypassCache: validated.bypassCache,
    trace: { builder: trace, endpoint: imds },
  });
  if (!result.ok) {
    reply(400, { error: result.failure.error, error_description: result.failure.description }, result.failure.description.split('.')[0]!, {
      errorCode: result.failure.error,
      notes: [result.failure.explanation],
    });
    return;
  }
  const { claims, accessToken } = result.token;
  const now = Math.floor(ctx.lab.clock.now() / 1000);
  const expiresIn = String(claims.exp - now);
  // Every field is a string (Swagger IdentityTokenResponse).
  reply(
    200,
    {
      access_token: accessToken,
      client_id: result.identity.clientId,
      expires_in: expiresIn,
      expires_on: String(claims.exp),
      ext_expires_in: expiresIn,
      not_before: String(claims.nbf),
      resource: validated.resource,
      token_type: 'Bearer',
    },
    result.fromCache ? 'access_token (cached)' : 'access_token',
    { notes: [`aud ${claims.aud}`, `${result.identity.kind} identity, oid ${claims.oid}`] },
  );
}

// The Azure Instance Metadata Service identity endpoint, one per compute host:
//   GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=…   (Metadata: true)
//   GET /metadata/identity/info?api-version=…                               (Metadata: true)
// Protocol, limits and error bodies: MicrosoftDocs entra-docs how-to-use-vm-token.md, the
// IMDS docs and Swagger (azure-rest-api-specs specification/imds); see the facts file §1.
import type { ServerResponse } from 'node:http';
import type { ResourceState } from '../../engine/model/state';
import type { IdentitySelector } from '../../engine/managedIdentity/acquire';
import { faultsFor } from '../../engine/managedIdentity/faults';
import { idKey } from '../../engine/arm/resourceId';
import type { EndpointContext } from '../context';
import type { ParsedRequest } from '../http';
import { header, repeatedParameters, sendJson, single } from '../http';
import { acquire, delay, reply, selectorFrom, startFlow, type FlowTrace } from './shared';

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
  code: string;
  explanation: string;
}

const error = (status: number, code: string, description: string, explanation: string): ImdsError => ({ status, body: { error: code, error_description: description }, code, explanation });

/** Checks what every identity request needs (method, proxy, Metadata header, api-version). */
function checkCommon(req: ParsedRequest): ImdsError | undefined {
  if (req.method !== 'GET') {
    return error(405, 'method_not_allowed', `The requested resource does not support http method '${req.method.slice(0, 20)}'.`, 'The IMDS identity endpoint only answers GET.');
  }
  // IMDS refuses anything relayed through a proxy: it must be called from inside the VM.
  if (header(req, 'x-forwarded-for') !== undefined) {
    return error(400, 'bad_request', 'Request contains X-Forwarded-For header', 'IMDS refuses requests that carry X-Forwarded-For, so that a proxy (or an SSRF) cannot reach it.');
  }
  if ((header(req, 'metadata') ?? '').toLowerCase() !== 'true') {
    return error(400, 'bad_request_102', 'Required metadata header not specified', "IMDS requires the header 'Metadata: true', which a browser or a forwarded request (SSRF) cannot add.");
  }
  const repeated = repeatedParameters(req);
  if (repeated.length > 0) {
    return error(400, 'invalid_request', `Query parameter '${repeated[0]!.slice(0, 100)}' is specified more than once`, 'IMDS rejects requests that repeat a query parameter.');
  }
  const apiVersion = single(req, 'api-version');
  if (apiVersion === undefined || !IMDS_API_VERSIONS.includes(apiVersion)) {
    // The instance endpoint's documented shape; the identity endpoint's exact text is unverified.
    const reason = apiVersion === undefined ? 'api-version was not specified in the request' : `api-version '${apiVersion.slice(0, 40)}' is not supported`;
    return { status: 400, body: { error: `Bad request. ${reason}. For more information refer to aka.ms/azureimds`, 'newest-versions': NEWEST_VERSIONS }, code: 'bad_request', explanation: 'Every IMDS call needs a supported api-version, e.g. 2018-02-01.' };
  }
  return undefined;
}

/** Faults a lesson switched on for this host: throttling, latency, an endpoint that is updating or failing. */
async function checkFaults(ctx: EndpointContext, host: ResourceState): Promise<{ error?: ImdsError; release: () => void }> {
  const faults = faultsFor(ctx.lab, host.id);
  const key = idKey(host.id);
  if (faults.throttle && !ctx.throttle.admit(key)) {
    return { error: error(429, 'too_many_requests', 'IMDS Throttle limit reached', 'IMDS allows 20 identity requests per second and 5 at once per VM. Cache tokens (the SDK does) and retry with exponential backoff.'), release: () => undefined };
  }
  const release = faults.throttle ? () => ctx.throttle.release(key) : () => undefined;
  await delay(faults.latencyMs);
  switch (faults.failure) {
    case 'gone410':
      return { error: error(410, 'service_unavailable', 'IMDS is being updated. Retry in up to 70 seconds.', 'IMDS answers 410 while it is being updated; it comes back within 70 seconds. The SDK retries 410 for at least that long.'), release };
    case 'notFound404':
      return { error: error(404, 'not_found', 'The identity endpoint is updating.', 'IMDS can answer 404 while it is updating; retry with backoff (the SDK does).'), release };
    case 'serverError500':
      return { error: error(500, 'unknown', 'Failed to retrieve token from the Active directory. For details see logs in /var/log/azure/identity', 'A failure between IMDS and Microsoft Entra ID. Retry after at least a second.'), release };
    default:
      return { release };
  }
}

export async function handleImdsToken(ctx: EndpointContext, host: ResourceState, req: ParsedRequest, res: ServerResponse): Promise<void> {
  const flow = startFlow(ctx, host, req, 'imds', '/metadata/identity/oauth2/token');
  const fail = (e: ImdsError) => reply(ctx, res, flow, e.status, e.body, String(e.body['error_description'] ?? e.body['error']), { errorCode: e.code, notes: [e.explanation] });
  const faults = await checkFaults(ctx, host);
  try {
    if (faults.error) return fail(faults.error);
    const common = checkCommon(req);
    if (common) return fail(common);
    const resource = single(req, 'resource');
    if (!resource) return fail(error(400, 'invalid_request', 'Required audience parameter not specified', 'A token request must say which API the token is for, e.g. resource=https://vault.azure.net.'));
    const { selector, conflict } = selectorFrom(req, SELECTORS);
    if (conflict) return fail(error(400, 'invalid_request', `Only one of ${conflict.join(', ')} may be specified`, 'client_id, object_id and msi_res_id are mutually exclusive: name the identity one way.'));
    await respondWithToken(ctx, host, res, flow, resource, selector, (single(req, 'bypass_cache') ?? '').toLowerCase() === 'true');
  } finally {
    faults.release();
  }
}

async function respondWithToken(ctx: EndpointContext, host: ResourceState, res: ServerResponse, flow: FlowTrace, resource: string, selector: IdentitySelector | undefined, bypassCache: boolean): Promise<void> {
  const result = await acquire(ctx, host, flow, resource, selector, 'imds', bypassCache);
  if (!result.ok) {
    reply(ctx, res, flow, 400, { error: result.failure.error, error_description: result.failure.description }, result.failure.description.split('. ')[0]!, { errorCode: result.failure.error, notes: [result.failure.explanation] });
    return;
  }
  const { claims, accessToken } = result.token;
  const expiresIn = String(claims.exp - Math.floor(ctx.lab.clock.now() / 1000));
  // Every field is a string (Swagger IdentityTokenResponse).
  reply(
    ctx,
    res,
    flow,
    200,
    { access_token: accessToken, client_id: result.identity.clientId, expires_in: expiresIn, expires_on: String(claims.exp), ext_expires_in: expiresIn, not_before: String(claims.nbf), resource, token_type: 'Bearer' },
    result.fromCache ? 'access_token (cached)' : 'access_token',
    { notes: [`aud ${claims.aud}`, `${result.identity.kind} identity, oid ${claims.oid}`] },
  );
}

/** `/metadata/identity/info`: the tenant the VM's identities belong to. */
export function handleImdsInfo(ctx: EndpointContext, req: ParsedRequest, res: ServerResponse): void {
  const common = checkCommon(req);
  if (common) {
    sendJson(res, common.status, common.body);
    return;
  }
  sendJson(res, 200, { tenantId: ctx.lab.tenantId });
}

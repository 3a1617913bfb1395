// The identity endpoint of App Service, Functions, Container Apps and Automation:
//   GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=…   (X-IDENTITY-HEADER: {IDENTITY_HEADER})
//   GET {MSI_ENDPOINT}?api-version=2017-09-01&resource=…        (secret: {MSI_SECRET})
// Protocol: azure-docs app-service/overview-managed-identity.md (REST endpoint reference); the
// older 2017-09-01 version is what the Azure CLI 2.45 and msrestazure use (`clientid` selects a
// user-assigned identity, `expires_on` is a date string: azure-cli core/auth/adal_authentication.py).
// Its error bodies are not documented; the shape used here ({statusCode, message,
// correlationId}) and "Unable to load the proper Managed Identity." come from real logs.
import type { ServerResponse } from 'node:http';
import type { ReadonlyResource } from '../../engine/state/labState';
import type { IdentitySelector } from '../../engine/services/managedIdentity/acquire';
import { faultsFor } from '../../engine/operations/faults';
import { identityHeaderFor } from '../../engine/services/managedIdentity/identityHeader';
import { newGuid } from '../../engine/base/ids';
import type { EndpointContext } from '../context';
import type { ParsedRequest } from '../http';
import { header, repeatedParameters, sameSecret, single } from '../http';
import { acquire, delay, endpointRefusal, reply, selectorFrom, startFlow } from './shared';
import type { Refusal } from '../../engine/trace/model';

export const APP_SERVICE_API_VERSION = '2019-08-01';
/** The first protocol version (MSI_ENDPOINT, MSI_SECRET), which App Service still serves. */
export const APP_SERVICE_2017_API_VERSION = '2017-09-01';

const SELECTORS: ReadonlyArray<[string, IdentitySelector['by']]> = [
  ['client_id', 'clientId'],
  ['principal_id', 'objectId'],
  ['object_id', 'objectId'],
  ['mi_res_id', 'resourceId'],
];
const SELECTORS_2017: ReadonlyArray<[string, IdentitySelector['by']]> = [['clientid', 'clientId']];

/** 2017-09-01's `expires_on`: "11/05/2021 15:18:31 +00:00" (App Service on Linux; Windows adds AM/PM). */
function expiresOn2017(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const date = `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()}`;
  return `${date} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +00:00`;
}

export async function handleAppServiceToken(
  ctx: EndpointContext,
  host: ReadonlyResource,
  req: ParsedRequest,
  res: ServerResponse,
): Promise<void> {
  const flow = startFlow(ctx, host, req, 'identityEndpoint', '/msi/token');
  const fail = (
    status: number,
    message: string,
    explanation: string,
    rule: Refusal['rule'] = 'endpointProtocol',
    more: Partial<Refusal> = {},
  ) =>
    reply(ctx, res, flow, status, { statusCode: status, message, correlationId: newGuid() }, message, {
      errorCode: String(status),
      notes: [explanation],
      refusal: endpointRefusal(flow, host, 'identityEndpoint', rule, String(status), { detail: explanation, ...more }),
    });

  if (req.method !== 'GET') {
    return fail(
      405,
      `The requested resource does not support http method '${req.method.slice(0, 20)}'.`,
      'The identity endpoint only answers GET.',
    );
  }
  // The version decides the header: 2017-09-01 sends MSI_SECRET as `secret`, later ones X-IDENTITY-HEADER.
  const v2017 = single(req, 'api-version') === APP_SERVICE_2017_API_VERSION;
  if (!sameSecret(header(req, v2017 ? 'secret' : 'x-identity-header'), await identityHeaderFor(ctx.lab, host.id))) {
    return fail(
      401,
      v2017
        ? 'Unauthorized. The secret header is missing or does not match MSI_SECRET.'
        : 'Unauthorized. The X-IDENTITY-HEADER is missing or does not match IDENTITY_HEADER.',
      `Only code running on this host knows its ${v2017 ? 'MSI_SECRET' : 'IDENTITY_HEADER'}; the endpoint answers nobody else.`,
    );
  }
  const faults = faultsFor(ctx.lab, host.id);
  await delay(faults.latencyMs);
  if (faults.failure) {
    return fail(
      faults.failure === 'notFound404' ? 404 : faults.failure === 'gone410' ? 410 : 500,
      'The identity endpoint is temporarily unavailable.',
      'A fault the lab is simulating on this host.',
      'endpointFault',
    );
  }
  if (repeatedParameters(req).length) {
    return fail(
      400,
      `Query parameter '${repeatedParameters(req)[0]!.slice(0, 100)}' is specified more than once.`,
      'Each query parameter may appear once.',
    );
  }
  const apiVersion = single(req, 'api-version');
  if (apiVersion !== APP_SERVICE_API_VERSION && !v2017) {
    return fail(
      400,
      `The api-version '${(apiVersion ?? '').slice(0, 40)}' is not supported. Supported versions: ${APP_SERVICE_API_VERSION}, ${APP_SERVICE_2017_API_VERSION}.`,
      `IDENTITY_ENDPOINT uses api-version ${APP_SERVICE_API_VERSION}; the older MSI_ENDPOINT, ${APP_SERVICE_2017_API_VERSION}.`,
    );
  }
  const resource = single(req, 'resource');
  if (!resource) return fail(400, 'The resource parameter is required.', 'A token request must say which API the token is for.');
  const { selector, conflict } = selectorFrom(req, v2017 ? SELECTORS_2017 : SELECTORS);
  if (conflict) return fail(400, `Only one of ${conflict.join(', ')} may be specified.`, 'Name the identity one way only.');

  const result = await acquire(ctx, host, flow, resource, selector, 'identityEndpoint', false);
  if (!result.ok) {
    const facts = {
      ...(selector ? { selector } : {}),
      ...(result.identity ? { principalId: result.identity.principalId, clientId: result.identity.clientId } : {}),
    };
    if (result.failure.code === 'InvalidResource') {
      return fail(400, result.failure.description, result.failure.explanation, result.failure.rule, facts);
    }
    return fail(400, 'Unable to load the proper Managed Identity.', result.failure.explanation, result.failure.rule, facts);
  }
  const { claims, accessToken } = result.token;
  // The documented response: expires_on as a string of Unix seconds (a date string in 2017-09-01), and client_id.
  reply(
    ctx,
    res,
    flow,
    200,
    {
      access_token: accessToken,
      expires_on: v2017 ? expiresOn2017(claims.exp) : String(claims.exp),
      resource,
      token_type: 'Bearer',
      client_id: result.identity.clientId,
    },
    result.fromCache ? 'access_token (cached)' : 'access_token',
    {
      notes: [`aud ${claims.aud}`, `${result.identity.kind} identity, oid ${claims.oid}`],
    },
  );
}

// The identity endpoint of App Service, Functions, Container Apps and Automation:
//   GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=…   (X-IDENTITY-HEADER: {IDENTITY_HEADER})
// Protocol: azure-docs app-service/overview-managed-identity.md (REST endpoint reference).
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

const SELECTORS: ReadonlyArray<[string, IdentitySelector['by']]> = [
  ['client_id', 'clientId'],
  ['principal_id', 'objectId'],
  ['object_id', 'objectId'],
  ['mi_res_id', 'resourceId'],
];

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
  if (!sameSecret(header(req, 'x-identity-header'), await identityHeaderFor(ctx.lab, host.id))) {
    return fail(
      401,
      'Unauthorized. The X-IDENTITY-HEADER is missing or does not match IDENTITY_HEADER.',
      'Only code running on this host knows its IDENTITY_HEADER; the endpoint answers nobody else.',
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
  if (apiVersion !== APP_SERVICE_API_VERSION) {
    return fail(
      400,
      `The api-version '${(apiVersion ?? '').slice(0, 40)}' is not supported. Supported version: ${APP_SERVICE_API_VERSION}.`,
      `The IDENTITY_ENDPOINT protocol uses api-version ${APP_SERVICE_API_VERSION}.`,
    );
  }
  const resource = single(req, 'resource');
  if (!resource) return fail(400, 'The resource parameter is required.', 'A token request must say which API the token is for.');
  const { selector, conflict } = selectorFrom(req, SELECTORS);
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
  // The documented response: expires_on as a string of Unix seconds, and client_id.
  reply(
    ctx,
    res,
    flow,
    200,
    { access_token: accessToken, expires_on: String(claims.exp), resource, token_type: 'Bearer', client_id: result.identity.clientId },
    result.fromCache ? 'access_token (cached)' : 'access_token',
    {
      notes: [`aud ${claims.aud}`, `${result.identity.kind} identity, oid ${claims.oid}`],
    },
  );
}

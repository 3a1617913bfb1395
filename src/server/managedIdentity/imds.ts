// The Azure Instance Metadata Service identity endpoint, one per compute host:
//   GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=…   (Metadata: true)
//   GET /metadata/identity/info?api-version=…                               (Metadata: true)
// Protocol, limits and error bodies: MicrosoftDocs entra-docs how-to-use-vm-token.md, the
// IMDS docs and Swagger (azure-rest-api-specs specification/imds); see the facts file §1.
import type { ServerResponse } from 'node:http';
import type { ReadonlyResource } from '../../engine/state/labState';
import type { IdentitySelector } from '../../engine/services/managedIdentity/acquire';
import { faultsForKey } from '../../engine/operations/faults';
import { idKey } from '../../engine/azure/resourceId';
import type { EndpointContext } from '../context';
import type { ParsedRequest } from '../http';
import { header, repeatedParameters, sendJson, single } from '../http';
import {
  acquire,
  delay,
  endpointRefusal,
  finishFlow,
  reply,
  replyText,
  selectorFrom,
  sendBuffer,
  startFlow,
  type FlowTrace,
} from './shared';
import type { RefusalRule } from '../../engine/trace/model';
import { CACHE_HIT_LABEL } from '../../engine/trace/model';
import type { TokenResult } from '../../engine/services/managedIdentity/acquire';
import { momentOf, type Moment } from '../../engine/base/clock';
import { cachedTokenNotes } from '../../engine/services/tokenLifetimes';

/** api-versions the identity endpoint accepts (IMDS docs list; 2018-02-01 is what the SDKs send). */
export const IMDS_API_VERSIONS = [
  '2018-02-01',
  '2018-04-02',
  '2018-10-01',
  '2019-02-01',
  '2019-03-11',
  '2019-04-30',
  '2019-06-01',
  '2019-06-04',
  '2019-08-01',
  '2019-08-15',
  '2019-11-01',
  '2020-06-01',
  '2020-07-15',
  '2020-09-01',
  '2020-10-01',
  '2020-12-01',
  '2021-01-01',
  '2021-02-01',
  '2021-03-01',
  '2021-05-01',
  '2021-08-01',
  '2021-10-01',
  '2021-11-01',
  '2021-11-15',
  '2021-12-13',
  '2023-07-01',
];
const NEWEST_VERSIONS = ['2023-07-01', '2021-12-13', '2021-11-15'];
const SUPPORTED_VERSIONS = new Set(IMDS_API_VERSIONS);

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
  rule: RefusalRule;
}

const error = (
  status: number,
  code: string,
  description: string,
  explanation: string,
  rule: RefusalRule = 'endpointProtocol',
): ImdsError => ({
  status,
  body: { error: code, error_description: description },
  code,
  explanation,
  rule,
});

/** Checks what every identity request needs (method, proxy, Metadata header, api-version). */
function checkCommon(req: ParsedRequest): ImdsError | undefined {
  if (req.method !== 'GET') {
    return error(
      405,
      'method_not_allowed',
      `The requested resource does not support http method '${req.method.slice(0, 20)}'.`,
      'The IMDS identity endpoint only answers GET.',
    );
  }
  // IMDS refuses anything relayed through a proxy: it must be called from inside the VM.
  if (header(req, 'x-forwarded-for') !== undefined) {
    return error(
      400,
      'bad_request',
      'Request contains X-Forwarded-For header',
      'IMDS refuses requests that carry X-Forwarded-For, so that a proxy (or an SSRF) cannot reach it.',
    );
  }
  if ((header(req, 'metadata') ?? '').toLowerCase() !== 'true') {
    return error(
      400,
      'bad_request_102',
      'Required metadata header not specified',
      "IMDS requires the header 'Metadata: true', which a browser or a forwarded request (SSRF) cannot add.",
    );
  }
  const repeated = repeatedParameters(req);
  if (repeated.length > 0) {
    return error(
      400,
      'invalid_request',
      `Query parameter '${repeated[0]!.slice(0, 100)}' is specified more than once`,
      'IMDS rejects requests that repeat a query parameter.',
    );
  }
  const apiVersion = single(req, 'api-version');
  if (apiVersion === undefined || !SUPPORTED_VERSIONS.has(apiVersion)) {
    // The instance endpoint's documented shape; the identity endpoint's exact text is unverified.
    const reason =
      apiVersion === undefined
        ? 'api-version was not specified in the request'
        : `api-version '${apiVersion.slice(0, 40)}' is not supported`;
    return {
      status: 400,
      body: { error: `Bad request. ${reason}. For more information refer to aka.ms/azureimds`, 'newest-versions': NEWEST_VERSIONS },
      code: 'bad_request',
      explanation: 'Every IMDS call needs a supported api-version, e.g. 2018-02-01.',
      rule: 'endpointProtocol',
    };
  }
  return undefined;
}

interface FaultCheck {
  error?: ImdsError;
  latencyMs: number;
  release: () => void;
}

/** Faults a lesson switched on for this host: throttling, latency, an endpoint that is updating or failing. */
function checkFaults(ctx: EndpointContext, host: ReadonlyResource): FaultCheck {
  const key = idKey(host.id);
  const faults = faultsForKey(ctx.lab, key);
  if (faults.throttle && !ctx.throttle.admit(key, ctx.lab.clock.now())) {
    return {
      error: error(
        429,
        'too_many_requests',
        'IMDS Throttle limit reached',
        'IMDS allows 20 identity requests per second and 5 at once per VM. Cache tokens (the SDK does) and retry with exponential backoff.',
        'throttled',
      ),
      latencyMs: 0,
      release: NOTHING,
    };
  }
  const release = faults.throttle ? () => ctx.throttle.release(key) : NOTHING;
  const latencyMs = faults.latencyMs;
  switch (faults.failure) {
    case 'gone410':
      return {
        error: error(
          410,
          'service_unavailable',
          'IMDS is being updated. Retry in up to 70 seconds.',
          'IMDS answers 410 while it is being updated; it comes back within 70 seconds. The SDK retries 410 for at least that long.',
          'endpointFault',
        ),
        latencyMs,
        release,
      };
    case 'notFound404':
      return {
        error: error(
          404,
          'not_found',
          'The identity endpoint is updating.',
          'IMDS can answer 404 while it is updating; retry with backoff (the SDK does).',
          'endpointFault',
        ),
        latencyMs,
        release,
      };
    case 'serverError500':
      return {
        error: error(
          500,
          'unknown',
          'Failed to retrieve token from the Active directory. For details see logs in /var/log/azure/identity',
          'A failure between IMDS and Microsoft Entra ID. Retry after at least a second.',
          'endpointFault',
        ),
        latencyMs,
        release,
      };
    default:
      return { latencyMs, release };
  }
}

const NOTHING = () => undefined;

/** Answers a token request; synchronous (no promise at all) on the hot path, a cached token. */
export function handleImdsToken(
  ctx: EndpointContext,
  host: ReadonlyResource,
  req: ParsedRequest,
  res: ServerResponse,
): void | Promise<void> {
  const startedAt = momentOf(ctx.lab.clock);
  const faults = checkFaults(ctx, host);
  if (faults.latencyMs > 0) return delay(faults.latencyMs).then(() => answer(ctx, host, req, res, faults, startedAt));
  return answer(ctx, host, req, res, faults, startedAt);
}

function answer(
  ctx: EndpointContext,
  host: ReadonlyResource,
  req: ParsedRequest,
  res: ServerResponse,
  faults: FaultCheck,
  startedAt: Moment,
): void | Promise<void> {
  const { selector, conflict } = selectorFrom(req, SELECTORS);
  const problem = faults.error ?? checkCommon(req) ?? checkRequest(req, conflict);
  if (problem) {
    faults.release();
    const flow = startFlow(ctx, host, req, 'imds', TOKEN_PATH, startedAt);
    return reply(ctx, res, flow, problem.status, problem.body, String(problem.body['error_description'] ?? problem.body['error']), {
      errorCode: problem.code,
      notes: [problem.explanation],
      refusal: endpointRefusal(flow, host, 'imds', problem.rule, problem.code, {
        detail: String(problem.body['error_description'] ?? problem.body['error']).slice(0, 300),
        ...(selector ? { selector } : {}),
      }),
    });
  }
  const resource = single(req, 'resource')!;
  const bypassCache = (single(req, 'bypass_cache') ?? '').toLowerCase() === 'true';
  // The hot path: a cached token, answered without an await, its trace built only if read. Only a
  // challenge waiting for this very resource takes the request off it (to join that flow's diagram).
  const cached = bypassCache ? undefined : ctx.managedIdentityTokens.cached(host, resource, selector, 'imds');
  if (cached && !ctx.flows.waitingFor(resource)) {
    faults.release();
    return answerCached(ctx, host, req, res, resource, cached, startedAt);
  }
  return respondWithToken(
    ctx,
    host,
    res,
    startFlow(ctx, host, req, 'imds', TOKEN_PATH, startedAt),
    resource,
    selector,
    bypassCache,
  ).finally(faults.release);
}

const TOKEN_PATH = '/metadata/identity/oauth2/token';

/** What a token request needs beyond the common checks: a resource, at most one identity selector. */
function checkRequest(req: ParsedRequest, conflict: string[] | undefined): ImdsError | undefined {
  if (!single(req, 'resource')) {
    return error(
      400,
      'invalid_request',
      'Required audience parameter not specified',
      'A token request must say which API the token is for, e.g. resource=https://vault.azure.net.',
    );
  }
  if (conflict) {
    return error(
      400,
      'invalid_request',
      `Only one of ${conflict.join(', ')} may be specified`,
      'client_id, object_id and msi_res_id are mutually exclusive: name the identity one way.',
    );
  }
  return undefined;
}

/** The IMDS success body (every field a string, Swagger IdentityTokenResponse), serialized once per token and second. */
function tokenResponse(ctx: EndpointContext, resource: string, result: TokenResult & { ok: true }): Buffer {
  const { claims, accessToken } = result.token;
  const expiresIn = claims.exp - Math.floor(ctx.lab.clock.now() / 1000);
  const key = `${claims.uti}|${resource}|${expiresIn}`;
  let body = responseCache.get(key);
  if (body === undefined) {
    const seconds = String(expiresIn);
    body = Buffer.from(
      JSON.stringify({
        access_token: accessToken,
        client_id: result.identity.clientId,
        expires_in: seconds,
        expires_on: String(claims.exp),
        ext_expires_in: seconds,
        not_before: String(claims.nbf),
        resource,
        token_type: 'Bearer',
      }),
    );
    if (responseCache.size > 256) responseCache.clear();
    responseCache.set(key, body);
  }
  return body;
}

const responseCache = new Map<string, Buffer>();

function answerCached(
  ctx: EndpointContext,
  host: ReadonlyResource,
  req: ParsedRequest,
  res: ServerResponse,
  resource: string,
  result: TokenResult & { ok: true },
  startedAt: Moment,
): void {
  const body = tokenResponse(ctx, resource, result);
  sendBuffer(res, 200, body);
  const endedAt = momentOf(ctx.lab.clock);
  ctx.lab.traces.addLazy(() => {
    const flow = startFlow(ctx, host, req, 'imds', TOKEN_PATH, startedAt);
    flow.builder.add({
      from: flow.endpoint,
      to: flow.endpoint,
      kind: 'internal',
      label: CACHE_HIT_LABEL,
      notes: cachedTokenNotes(result.token.claims),
      at: startedAt,
    });
    return finishFlow(flow, 200, body.toString('utf8'), 'access_token (cached)', { notes: tokenNotes(result) }, endedAt);
  });
}

const tokenNotes = (result: TokenResult & { ok: true }) => [
  `aud ${result.token.claims.aud}`,
  `${result.identity.kind} identity, oid ${result.token.claims.oid}`,
];

async function respondWithToken(
  ctx: EndpointContext,
  host: ReadonlyResource,
  res: ServerResponse,
  flow: FlowTrace,
  resource: string,
  selector: IdentitySelector | undefined,
  bypassCache: boolean,
): Promise<void> {
  const result = await acquire(ctx, host, flow, resource, selector, 'imds', bypassCache);
  if (!result.ok) {
    reply(
      ctx,
      res,
      flow,
      400,
      { error: result.failure.error, error_description: result.failure.description },
      result.failure.description.split('. ')[0]!,
      {
        errorCode: result.failure.error,
        notes: [result.failure.explanation],
        refusal: endpointRefusal(flow, host, 'imds', result.failure.rule, result.failure.error, {
          detail: result.failure.explanation,
          ...(selector ? { selector } : {}),
          ...(result.identity ? { principalId: result.identity.principalId, clientId: result.identity.clientId } : {}),
        }),
      },
    );
    return;
  }
  replyText(
    ctx,
    res,
    flow,
    200,
    tokenResponse(ctx, resource, result).toString('utf8'),
    result.fromCache ? 'access_token (cached)' : 'access_token',
    { notes: tokenNotes(result) },
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

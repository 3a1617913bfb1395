// Routes a request to its endpoint. Every answer is Azure-shaped, including the ones for
// paths nobody serves; nothing a client sends can crash the server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EndpointContext } from './context';
import { header, parseRequest, sendJson, type ParsedRequest } from './http';
import { serviceFromHost } from '../engine/azure/serviceDomains';
import { handleImdsInfo, handleImdsToken } from './managedIdentity/imds';
import { handleAppServiceToken } from './managedIdentity/appService';
import { endpointRefusal, reply, startFlow } from './managedIdentity/shared';
import { handleEntra, isTenantSegment } from './entra/routes';
import { resourceTypeOf } from '../engine/azure/resourceTypes';
import type { ReadonlyResource } from '../engine/state/labState';
import { handleControl } from './control';
import { CONTROL_PREFIX } from './controlProtocol';
import { handleKeyVault } from './services/keyVault';
import { handleBlobStorage } from './services/blobStorage';
import { handleArm, isArmPath } from './services/arm';
import { handleSql } from './services/sql';
import { isLabHost, refuseHost } from './hostCheck';

const IMDS_TOKEN = /^\/metadata\/identity\/oauth2\/token\/?$/i;
const IMDS_INFO = /^\/metadata\/identity\/info\/?$/i;
// msrestazure appends `/?resource=…` to MSI_ENDPOINT, which itself ends in a slash: `/MSI/token//`.
const APP_SERVICE_TOKEN = /^\/msi\/token\/*$/i;

/** `/hosts/{resource id}/metadata/…` or `/hosts/{resource id}/msi/…`: the host id and the rest. */
function splitHosted(path: string): [string, string] | undefined {
  const lower = path.toLowerCase();
  if (!lower.startsWith('/hosts/subscriptions/')) return undefined;
  let at = lower.indexOf('/metadata/', 7);
  if (at === -1) at = lower.indexOf('/msi/', 7);
  return at === -1 ? undefined : [path.slice(6, at), path.slice(at)];
}

const UNPREFIXED_IMDS =
  'This request did not come from a lab resource. IMDS answers as a resource at 169.254.169.254 inside ' +
  "'milab run --as <resource> -- <command>', or at /hosts/<resource id>/metadata/identity/oauth2/token ('milab env --as <resource>').";

function notFound(res: ServerResponse, req: ParsedRequest, path: string): void {
  sendJson(res, 404, {
    error: { code: 'NotFound', message: `No endpoint of this lab serves ${req.method.slice(0, 20)} ${path.slice(0, 200)}.` },
  });
}

/** Dispatches a request; returns a promise only when the endpoint works asynchronously. */
export function route(ctx: EndpointContext, req: IncomingMessage, res: ServerResponse): void | Promise<void> {
  const parsed = parseRequest(req);
  let path = parsed.path;
  if (path.includes('%')) {
    try {
      path = decodeURIComponent(path);
    } catch {
      sendJson(res, 400, { error: { code: 'InvalidUri', message: 'The request path is not valid percent-encoding.' } });
      return;
    }
  }
  const host = header(parsed, 'host');
  const tls = (req.socket as { encrypted?: boolean }).encrypted === true;
  // A `milab run` connection came through the lab's owner-only socket with its run's token (no page
  // can reach that), and names Azure's own addresses (169.254.169.254, management.azure.com:443).
  const run = ctx.runs.of(req);
  if (!run && !isLabHost(host, ctx.port, tls)) return refuseHost(ctx, parsed, path, res, host);
  if (path.startsWith(CONTROL_PREFIX)) return handleControl(ctx, parsed, path, res);
  // Services addressed by host name, as on Azure ({vault}.vault.azure.net, {account}.blob.core.windows.net).
  const service = serviceFromHost(host);
  if (service?.kind === 'keyvault') return handleKeyVault(ctx, parsed, service.name, path, res);
  if (service?.kind === 'blob') return handleBlobStorage(ctx, parsed, service.name, path, res);
  if (service?.kind === 'sql') return handleSql(ctx, parsed, service.name, path, res);

  const hosted = splitHosted(path);
  // Un-prefixed paths are the host's own endpoints only on a `milab run` connection (see runs.ts).
  if (hosted || IMDS_TOKEN.test(path) || IMDS_INFO.test(path) || (run && APP_SERVICE_TOKEN.test(path))) {
    const hostId = hosted ? hosted[0] : run?.hostId;
    const rest = hosted ? hosted[1] : path;
    const host = findHost(ctx, hostId);
    if (!host) {
      sendJson(res, 404, {
        error: 'not_found',
        error_description: hostId ? `No compute resource '${hostId.slice(0, 300)}' in this lab.` : UNPREFIXED_IMDS,
      });
      return;
    }
    const endpoint = resourceTypeOf(host.type, host.kind)?.tokenEndpoint;
    if (IMDS_TOKEN.test(rest) && endpoint === 'imds') return handleImdsToken(ctx, host, parsed, res);
    if (IMDS_INFO.test(rest) && endpoint === 'imds') return handleImdsInfo(ctx, parsed, res);
    if (APP_SERVICE_TOKEN.test(rest) && endpoint === 'identityEndpoint') return handleAppServiceToken(ctx, host, parsed, res);
    if (IMDS_TOKEN.test(rest) && endpoint === 'identityEndpoint') return refuseImdsOnAppService(ctx, host, parsed, res);
    const uses =
      endpoint === 'imds'
        ? 'it uses IMDS (/metadata/identity/oauth2/token)'
        : endpoint === 'identityEndpoint'
          ? 'it uses IDENTITY_ENDPOINT (/msi/token)'
          : 'its service uses its identity itself; there is no endpoint for your code';
    sendJson(res, 404, { error: 'not_found', error_description: `${host.name} has no such endpoint: ${uses}.` });
    return;
  }
  if (isArmPath(path)) return tls ? handleArm(ctx, parsed, path, res) : refuseArmOverHttp(res, path);
  const first = path.split('/')[1] ?? '';
  if (isTenantSegment(first)) return handleEntra(ctx, parsed, path, res);
  notFound(res, parsed, path);
}

/**
 * ARM is HTTPS only, as on Azure: a token must never cross plain HTTP (which is also what a page
 * on another origin could reach). The lab's own code and text; Azure's exact answer on port 80 is unverified.
 */
function refuseArmOverHttp(res: ServerResponse, path: string): void {
  sendJson(res, 400, {
    error: {
      code: 'HttpsRequired',
      message: `Azure Resource Manager accepts requests over HTTPS only; send ${path.slice(0, 200)} to the lab's https:// address (same port).`,
    },
  });
}

/**
 * Code on App Service (or Functions, Container Apps) calling 169.254.169.254 as on a VM: there is
 * no IMDS there. On Azure the connection fails (unverified how: refused or timed out); the lab
 * answers in its own words and traces it, so the learner sees where the request went.
 */
function refuseImdsOnAppService(ctx: EndpointContext, host: ReadonlyResource, parsed: ParsedRequest, res: ServerResponse): void {
  const flow = startFlow(ctx, host, parsed, 'imds', '/metadata/identity/oauth2/token');
  const detail = `${host.name} runs on App Service, which has no IMDS: its identity endpoint is IDENTITY_ENDPOINT, called with the X-IDENTITY-HEADER header.`;
  reply(
    ctx,
    res,
    flow,
    404,
    { error: 'not_found', error_description: `${detail} (The lab's answer: on Azure the connection to 169.254.169.254 fails.)` },
    '404 no IMDS on App Service',
    {
      errorCode: 'not_found',
      notes: [detail],
      refusal: endpointRefusal(flow, host, 'imds', 'endpointProtocol', 'not_found', { detail }),
    },
  );
}

function findHost(ctx: EndpointContext, hostId: string | undefined): ReadonlyResource | undefined {
  // A lookup by the lower-cased id: anything that is not a resource of the lab simply misses.
  return hostId ? ctx.lab.arm.resource(hostId) : undefined;
}

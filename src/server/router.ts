// Routes a request to its endpoint. Every answer is Azure-shaped, including the ones for
// paths nobody serves; nothing a client sends can crash the server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EndpointContext } from './context';
import { parseRequest, sendJson } from './http';
import { handleImdsToken } from './imds';
import { handleJwks } from './entraDiscovery';
import { tryParseResourceId } from '../engine/arm/resourceId';

const IMDS_TOKEN = /^\/metadata\/identity\/oauth2\/token\/?$/i;
const HOSTED = /^\/hosts(\/subscriptions\/.+?)(\/metadata\/.*)$/i;
const JWKS = /^\/(?:[^/]+)\/discovery(?:\/v2\.0)?\/keys\/?$/i;

export async function route(ctx: EndpointContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parsed = parseRequest(req);
  let path: string;
  try {
    path = decodeURIComponent(parsed.path);
  } catch {
    sendJson(res, 400, { error: 'invalid_request', error_description: 'The request path is not valid percent-encoding.' });
    return;
  }

  const hosted = HOSTED.exec(path);
  if (hosted || IMDS_TOKEN.test(path)) {
    const hostId = hosted ? hosted[1]! : ctx.defaultHostId();
    const rest = hosted ? hosted[2]! : path;
    const host = hostId && tryParseResourceId(hostId) ? ctx.lab.arm.resource(hostId) : undefined;
    if (!host) {
      sendJson(res, 404, { error: 'not_found', error_description: hostId ? `No compute resource '${hostId.slice(0, 300)}' in this lab.` : 'This lab has no default host; use /hosts/<resource id>/metadata/identity/oauth2/token.' });
      return;
    }
    if (IMDS_TOKEN.test(rest)) return handleImdsToken(ctx, host, parsed, res);
    sendJson(res, 404, { error: 'not_found', error_description: 'The requested resource was not found.' });
    return;
  }
  if (JWKS.test(path) && parsed.method === 'GET') return handleJwks(ctx, res);
  sendJson(res, 404, { error: { code: 'NotFound', message: `No endpoint of this lab serves ${parsed.method.slice(0, 20)} ${path.slice(0, 200)}.` } });
}

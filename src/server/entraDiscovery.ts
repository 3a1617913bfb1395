// Microsoft Entra ID's public key endpoints: anyone can fetch the tenant's signing keys
// and verify a token's signature (GET {authority}/{tenant}/discovery/v2.0/keys).
import type { ServerResponse } from 'node:http';
import type { EndpointContext } from './context';
import { sendJson } from './http';

export function handleJwks(ctx: EndpointContext, res: ServerResponse): void {
  sendJson(res, 200, ctx.lab.jwks(), { 'Cache-Control': 'max-age=86400, private' });
}

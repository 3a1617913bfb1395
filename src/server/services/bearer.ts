// The bearer token a service request carries, verified strictly, and the host (compute
// resource) whose managed identity it belongs to, so flows can be joined up.
import type { Lab } from '../../engine/lab/lab';
import type { ParsedRequest } from '../http';
import { header } from '../http';
import { verifyAccessToken, type TokenVerification } from '../../engine/services/verifyToken';
import { tryParseResourceId } from '../../engine/azure/resourceId';
import { resourceTypeOf } from '../../engine/azure/resourceTypes';
import type { ResourceState } from '../../engine/state/labState';
import type { EndpointContext } from '../context';

export function bearerToken(req: ParsedRequest): string | undefined {
  const value = header(req, 'authorization');
  const match = value ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null;
  return match?.[1];
}

export async function verifyBearer(lab: Lab, req: ParsedRequest, audiences: readonly string[]): Promise<TokenVerification> {
  return verifyAccessToken(lab, bearerToken(req), { audiences });
}

/** The compute resource a managed identity's token was issued to: `xms_az_rid` (user-assigned) or `xms_mirid` (system-assigned). */
export function hostOfToken(lab: Lab, claims: Record<string, unknown>): string | undefined {
  for (const claim of ['xms_az_rid', 'xms_mirid']) {
    const id = claims[claim];
    if (typeof id !== 'string' || !tryParseResourceId(id)) continue;
    const resource = lab.arm.resource(id);
    if (resource && resourceTypeOf(resource.type, resource.kind)?.role === 'compute') return resource.id;
  }
  return undefined;
}

/** The host a trace draws the app on: the managed identity's (from its token), else the `milab run` the request came through. */
export function appHost(ctx: EndpointContext, req: ParsedRequest, tokenHostId: string | undefined): ResourceState | undefined {
  const id = tokenHostId ?? ctx.runs.of(req.raw)?.hostId;
  return id ? ctx.lab.arm.resource(id) : undefined;
}

// The bearer token a service request carries, verified strictly, and the host (compute
// resource) whose managed identity it belongs to, so flows can be joined up.
import type { Lab } from '../../engine/lab/lab';
import type { ParsedRequest } from '../http';
import { header } from '../http';
import { refusalRuleOf, verifyAccessToken, type RejectedToken, type TokenVerification } from '../../engine/services/verifyToken';
import type { ParticipantKind, Refusal } from '../../engine/trace/model';
import { tryParseResourceId } from '../../engine/azure/resourceId';
import { resourceTypeOf } from '../../engine/azure/resourceTypes';
import type { ReadonlyResource } from '../../engine/state/labState';
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

/** Why a service refused a bearer token, as facts for the trace. */
export function tokenRefusal(lab: Lab, rejected: RejectedToken, by: ParticipantKind, errorCode: string): Refusal {
  const rule = refusalRuleOf(rejected.reason);
  const claims = rejected.unverifiedClaims;
  const oid = typeof claims?.['oid'] === 'string' ? claims['oid'] : undefined;
  const appid = typeof claims?.['appid'] === 'string' ? claims['appid'] : undefined;
  // The token was refused, so its claims are unverified: good enough to say whose it looked like.
  const host = claims ? hostOfToken(lab, claims) : undefined;
  return {
    rule,
    by,
    errorCode,
    ...(oid ? { principalId: oid } : {}),
    ...(appid ? { clientId: appid } : {}),
    ...(host ? { hostResourceId: host } : {}),
    ...(rejected.reason === 'audience' ? { audience: rejected.detail.slice(0, 300) } : {}),
    detail: rejected.detail.slice(0, 300),
  };
}

/** The host a trace draws the app on: the managed identity's (from its token), else the `milab run` the request came through. */
export function appHost(ctx: EndpointContext, req: ParsedRequest, tokenHostId: string | undefined): ReadonlyResource | undefined {
  const id = tokenHostId ?? ctx.runs.of(req.raw)?.hostId;
  return id ? ctx.lab.arm.resource(id) : undefined;
}

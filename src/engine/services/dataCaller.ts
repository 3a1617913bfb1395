// Who is calling a data-plane service: what a verified access token says about its bearer,
// groups included — as the token says, frozen when it was issued, not as the directory is now.
import type { Lab } from '../lab/lab';
import { v1Issuer } from '../azure/accessTokens';
import type { AuthorizationNote } from '../trace/model';
import type { Decision } from '../state/accessDecisions';

export interface DataCaller {
  objectId: string;
  /** The client application (`appid`): the identity's client id, or Azure CLI for `az`. */
  appId: string;
  issuer: string;
  tenantId: string;
  displayName: string;
  /** The groups decisions count for this caller: the token's `groups` claim (the directory's, for `az` in the lab). */
  groupIds: readonly string[];
}

/** Azure CLI's first-party client id: `az` tokens carry it as `appid`. */
export const AZURE_CLI_APP_ID = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';

/** The learner calling a service through `az` (a user token issued to Azure CLI). */
export function learnerCaller(lab: Lab): DataCaller {
  const user = lab.directory.user;
  return {
    objectId: user.objectId,
    appId: AZURE_CLI_APP_ID,
    issuer: v1Issuer(lab.tenantId),
    tenantId: lab.tenantId,
    displayName: user.userPrincipalName,
    groupIds: lab.directory.memberOf(user.objectId),
  };
}

/**
 * The groups a token speaks for. With an overage claim the service looks the groups up itself
 * (the claim source names Microsoft Graph); the lab reads its directory then — how Azure RBAC
 * resolves overage for its own decisions is unverified.
 */
export function groupsOfToken(lab: Lab, claims: Record<string, unknown>): readonly string[] {
  const groups = claims['groups'];
  if (Array.isArray(groups)) return groups.filter((g): g is string => typeof g === 'string');
  const names = claims['_claim_names'];
  if (typeof names === 'object' && names !== null && 'groups' in names) return lab.directory.memberOf(String(claims['oid'] ?? ''));
  return [];
}

export function callerFromClaims(lab: Lab, claims: Record<string, unknown>): DataCaller {
  const objectId = String(claims['oid'] ?? '');
  const principal = lab.directory.principal(objectId);
  return {
    objectId,
    appId: String(claims['appid'] ?? claims['azp'] ?? ''),
    issuer: String(claims['iss'] ?? ''),
    tenantId: String(claims['tid'] ?? ''),
    displayName: principal?.displayName ?? objectId,
    groupIds: groupsOfToken(lab, claims),
  };
}

/** A decision as a trace shows it (group names from the lab's directory). */
export function authorizationNote(decision: Decision, lab?: Lab): AuthorizationNote {
  const via = (group: string | undefined) =>
    group ? ` (through group ${lab?.directory.group(group)?.displayName ?? group}, as the token says)` : '';
  const reasons = decision.allowed
    ? decision.grants.map(
        g =>
          `${g.roleName} at ${g.scope}${g.inherited ? ' (inherited)' : ''}${via(g.viaGroup)}` +
          (g.removedButInEffectUntil ? ' — deleted, but its removal has not propagated yet' : ''),
      )
    : [
        ...decision.considered.map(c => `${c.roleName} at ${c.scope}${via(c.viaGroup)}: ${c.reason}`),
        ...(decision.suggestion ? [`would be granted by '${decision.suggestion.roleName}' at ${decision.suggestion.scope}`] : []),
      ];
  return {
    allowed: decision.allowed,
    action: decision.action,
    scope: decision.scope,
    reasons: reasons.length ? reasons : ['the principal has no role assignments'],
  };
}

/** A data-plane failure: the HTTP status, Azure's error code and message, and why (for traces and diagnosis). */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly innerCode?: string,
    readonly authorization?: AuthorizationNote,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

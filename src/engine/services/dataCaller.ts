// Who is calling a data-plane service: what a verified access token says about its bearer,
// groups included — as the token says, frozen when it was issued, not as the directory is now.
import type { Lab } from '../lab/lab';
import { v1Issuer } from '../azure/accessTokens';
import type { AuthorizationNote, ParticipantKind, Refusal } from '../trace/model';

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

/** The refusal a data-plane error stands for, as facts for the trace (diagnosis reads them). */
export function refusalOf(error: ServiceError, by: ParticipantKind, caller?: DataCaller, targetResourceId?: string): Refusal {
  const note = error.authorization;
  const rule: Refusal['rule'] = note
    ? note.plane
      ? 'rbac'
      : 'accessPolicy'
    : /NotFound$/.test(error.code)
      ? 'notFound'
      : error.status === 400
        ? 'endpointProtocol'
        : 'other';
  return {
    rule,
    by,
    errorCode: error.innerCode ?? error.code,
    ...(caller ? { principalId: caller.objectId, ...(caller.appId ? { clientId: caller.appId } : {}) } : {}),
    ...(note ? { action: note.action, scope: note.scope, ...(note.plane ? { plane: note.plane } : {}) } : {}),
    ...(targetResourceId ? { targetResourceId } : {}),
    detail: error.message.split(/\r?\n/)[0]!.slice(0, 300),
  };
}

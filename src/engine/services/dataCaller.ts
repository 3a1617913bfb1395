// Who is calling a data-plane service: what a verified access token says about its bearer.
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
  };
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
  };
}

/** A decision as a trace shows it. */
export function authorizationNote(decision: Decision): AuthorizationNote {
  const reasons = decision.allowed
    ? decision.grants.map(g => `${g.roleName} at ${g.scope}${g.inherited ? ' (inherited)' : ''}`)
    : [
        ...decision.considered.map(c => `${c.roleName} at ${c.scope}: ${c.reason}`),
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

// ARM's verbatim 403 texts for authorization failures, as Azure Resource Manager words them
// (AuthorizationFailed, LinkedAuthorizationFailed).

/** ARM's 403 `AuthorizationFailed`. */
export function authorizationFailed(callerName: string, objectId: string, action: string, scope: string): string {
  return `The client '${callerName}' with object id '${objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`;
}

/** ARM's 403 `LinkedAuthorizationFailed`: the second permission a write needs on another resource. */
export function linkedAuthorizationFailed(
  callerName: string,
  objectId: string,
  primary: { action: string; scope: string },
  linked: { action: string; scope: string },
): string {
  return `The client '${callerName}' with object id '${objectId}' has permission to perform action '${primary.action}' on scope '${primary.scope}'; however, it does not have permission to perform action(s) '${linked.action}' on the linked scope(s) '${linked.scope}' (respectively) or the linked scope(s) are invalid.`;
}

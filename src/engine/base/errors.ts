/**
 * The engine's errors: a closed set of codes (so callers switch on `code`), each with
 * the HTTP status Azure would answer and a message in Azure's words. Adapters (HTTP,
 * `az`, VS Code) render them in their own shape.
 */
export type LabErrorCode =
  | 'InvalidArgument'
  | 'NotFound'
  | 'Conflict'
  | 'InvalidState'
  | 'Unsupported'
  // ARM / RBAC
  | 'ResourceNotFound'
  | 'ResourceGroupNotFound'
  | 'SubscriptionNotFound'
  | 'InvalidResourceId'
  | 'InvalidResourceType'
  | 'InvalidResourceName'
  | 'LinkedAuthorizationFailed'
  | 'AuthorizationFailed'
  | 'RoleDefinitionNotFound'
  | 'RoleDefinitionExists'
  | 'RoleAssignmentExists'
  | 'RoleAssignmentNotFound'
  | 'PrincipalNotFound'
  | 'InvalidRoleAssignmentScope'
  | 'MissingSubscription'
  | 'InvalidRequestContent'
  | 'InvalidParameterValue'
  | 'ManagedIdentityNotSupported'
  | 'FailedIdentityOperation'
  | 'ParentResourceNotFound'
  | 'ResourceAlreadyExists'
  | 'RoleAssignmentUpdateNotPermitted'
  | 'InvalidRoleDefinition'
  | 'RoleDefinitionHasAssignments'
  | 'IdentityNotFound'
  | 'InvalidFilterInQueryString'
  | 'InvalidQueryParameterValue'
  | 'InvalidResourceNamespace'
  // Tokens
  | 'InvalidResource'
  | 'MultipleUserAssignedIdentities'
  | 'NoIdentity';

export class LabError extends Error {
  constructor(
    readonly code: LabErrorCode,
    message: string,
    readonly status = 400,
    /** The field or argument at fault, when there is one. */
    readonly target?: string,
    /** Structured detail for explanations (e.g. the authorization decision). */
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = 'LabError';
  }
}

export const isLabError = (value: unknown): value is LabError => value instanceof LabError;

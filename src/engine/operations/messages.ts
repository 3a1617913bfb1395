// ARM's verbatim error texts for the operations that change the lab (identity operations,
// resource-group names, resources that are not there).
import type { ParsedResourceId } from '../azure/resourceId';

/** ARM's `ResourceNotFound` for a resource id that names nothing. */
export function resourceNotFound(parsed: ParsedResourceId): string {
  return `The Resource '${parsed.type ?? parsed.id}/${parsed.names.join('/')}' under resource group '${parsed.resourceGroup ?? ''}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`;
}

/** ARM's `FailedIdentityOperation` when a user-assigned identity to attach does not exist. */
export function failedIdentityOperationNotFound(hostId: string, identityId: string): string {
  return `Identity operation for resource '${hostId}' failed with error 'Failed to perform resource identity operation. Status: 'NotFound'. Response: '{"error":{"code":"NotFound","message":"Resource '${identityId}' does not exist or one of its ancestor resources does not exist."}}'.'`;
}

/** `InvalidResourceName` for a resource group name outside ARM's rules. */
export function invalidResourceGroupName(name: string): string {
  return `Resource group name '${name}' is invalid: resource group names only allow up to 90 alphanumeric characters, periods, underscores, hyphens and parentheses, and cannot end in a period.`;
}

/** Microsoft Graph's 404 `Request_ResourceNotFound` for a directory object it does not have. */
export function graphObjectNotFound(id: string): string {
  return `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`;
}

/** Microsoft Graph's 400 when a member is added twice (azure-cli's role/custom.py notes it: the API is not idempotent). */
export const GRAPH_MEMBER_EXISTS = "One or more added object references already exist for the following modified properties: 'members'.";

/** Microsoft Graph's 400 for a property value it refuses. */
export function graphInvalidProperty(property: string): string {
  return `Invalid value specified for property '${property}' of resource 'Group'.`;
}

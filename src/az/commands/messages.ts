// The long error and warning texts az commands print: azure-cli's own (verbatim), and the
// lab's where it says what it does not simulate.

/** azure-cli storage: its text for a 403 with --auth-mode login (it starts on a new line). */
export const STORAGE_LOGIN_FORBIDDEN =
  '\nYou do not have the required permissions needed to perform this operation.\nDepending on your operation, you may need to be assigned one of the following roles:\n    "Storage Blob Data Owner"\n    "Storage Blob Data Contributor"\n    "Storage Blob Data Reader"\n    "Storage Queue Data Contributor"\n    "Storage Queue Data Reader"\n    "Storage Table Data Contributor"\n    "Storage Table Data Reader"\n\nIf you want to use the old authentication method and allow querying for the right account key, please use the "--auth-mode" parameter and "key" value.';

/** The lab's: Blob Storage is simulated with Entra authorization only. */
export const BLOB_LOGIN_ONLY =
  'The Managed Identity Lab simulates Microsoft Entra authorization for Blob Storage only: add --auth-mode login (account keys, SAS tokens and connection strings are not simulated).';

/** azure-cli role: an --assignee it cannot resolve. */
export function assigneeNotFound(assignee: string): string {
  return `Cannot find user or service principal in graph database for '${assignee}'. If the assignee is an appId, make sure the corresponding service principal is created with 'az ad sp create --id ${assignee}'.`;
}

/** The lab's hint when the --assignee is a managed identity's display name. */
export function assigneeIsDisplayName(assignee: string, objectIds: readonly string[]): string {
  return `Lab: '${assignee}' is the display name of ${objectIds.map(id => `a managed identity with object id ${id}`).join(' and ')}; az looks --assignee up by object id, client id or user sign-in name, not by display name.`;
}

/** azure-cli role: the warning for --assignee-object-id without --assignee-principal-type. */
export const ASSIGNEE_PRINCIPAL_TYPE_WARNING =
  'RBAC service might reject creating role assignment without --assignee-principal-type in the future. Better to specify --assignee-principal-type manually.';

/** azure-cli vm create: an --image that is no alias, URN or id. */
export function invalidImage(image: string, aliases: readonly string[]): string {
  return `Invalid image "${image}". Use a valid image URN, custom image name, custom image id, VHD blob URI, or pick an image from ['${aliases.join("', '")}'].\nSee vm create -h for more information on specifying an image.`;
}

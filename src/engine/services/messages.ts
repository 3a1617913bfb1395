// Verbatim error texts of Key Vault's data plane (SQL Server's are in sql/messages.ts).

/** The 403 Key Vault sends with RBAC (terraform-provider-azurerm#27817); `resource` as Key Vault prints it (lower-cased). */
export function keyVaultForbiddenByRbac(caller: string, action: string, resource: string, vault: string): string {
  return `Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: ${caller}\r\nAction: '${action}'\r\nResource: '${resource}'\r\nAssignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: 'DeniedWithNoValidRBAC' \r\nVault: ${vault}\r\n`;
}

/** Key Vault's 409 `ObjectIsDeletedButRecoverable` for setting a soft-deleted secret. */
export function secretDeletedButRecoverable(name: string): string {
  return `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`;
}

// Verbatim error texts of the data-plane services: Key Vault's and SQL Server's.

/** The 403 Key Vault sends with RBAC (terraform-provider-azurerm#27817); `resource` as Key Vault prints it (lower-cased). */
export function keyVaultForbiddenByRbac(caller: string, action: string, resource: string, vault: string): string {
  return `Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: ${caller}\r\nAction: '${action}'\r\nResource: '${resource}'\r\nAssignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: 'DeniedWithNoValidRBAC' \r\nVault: ${vault}\r\n`;
}

/** Key Vault's 409 `ObjectIsDeletedButRecoverable` for setting a soft-deleted secret. */
export function secretDeletedButRecoverable(name: string): string {
  return `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`;
}

/** SQL Server's error 110. */
export const SQL_INSERT_FEWER_COLUMNS =
  'There are fewer columns in the INSERT statement than values specified in the VALUES clause. The number of values in the VALUES clause must match the number of columns specified in the INSERT statement.';

/** SQL's 18456 for a token login: every bad token gets this number; the state says which (233: expired). */
export const SQL_TOKEN_LOGIN_FAILED = "Login failed for user '<token-identified principal>'.";

/** State 233 and its text: microsoft/azuredatastudio#14497 ("Msg 18456, Level 14, State 233 … Token is expired."). */
export const SQL_TOKEN_EXPIRED = { state: 233, message: `${SQL_TOKEN_LOGIN_FAILED} Token is expired.` } as const;

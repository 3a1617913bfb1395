// Azure Resource Manager's verbatim error texts that the lab's ARM endpoint sends: its 401s
// for a rejected bearer token, and its 400 for an unknown identity type.

/** ARM's 401 `InvalidAuthenticationTokenAudience`. */
export function invalidTokenAudience(audience: string, allowedAudiences: readonly string[]): string {
  return `The access token has been obtained for wrong audience or resource '${audience}'. It should exactly match with one of the allowed audiences ${allowedAudiences.map(a => `'${a}'`).join(',')}.`;
}

/** ARM's 401 `InvalidAuthenticationTokenTenant`. */
export function invalidTokenTenant(issuer: string, tenantId: string): string {
  return `The access token is from the wrong issuer '${issuer}'. It must match the tenant 'https://sts.windows.net/${tenantId}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${tenantId}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`;
}

/**
 * ARM's 401 `ExpiredAuthenticationToken`, with .NET's UTC times ('8/5/2021 7:58:17 AM'), as in
 * real logs (turbot/steampipe-plugin-azure#261, microsoft/AzureNotebooks#586).
 */
export function expiredToken(expiryMs: number, nowMs: number): string {
  return `The access token expiry UTC time '${dotnetUtcTime(expiryMs)}' is earlier than current UTC time '${dotnetUtcTime(nowMs)}'.`;
}

/** .NET's `M/d/yyyy h:mm:ss tt` in UTC: no zero padding of month, day and hour, no zone suffix. */
export function dotnetUtcTime(ms: number): string {
  const d = new Date(ms);
  const hours = d.getUTCHours();
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${hours % 12 || 12}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
}

/** ARM's 400 for an identity `type` it does not know. */
export function invalidIdentityType(type: string): string {
  return `The identity type '${type}' is invalid. It must be 'SystemAssigned', 'UserAssigned', 'SystemAssigned, UserAssigned' or 'None'.`;
}

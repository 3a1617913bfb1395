// Microsoft Entra ID's verbatim error descriptions (the text after `AADSTS{code}: `), as its
// token endpoint returns them; the caller adds the code and Entra's trace trailer.

/** AADSTS90002, as the lab's discovery endpoints send it. */
export function tenantNotFound(tenant: string): string {
  return `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`;
}

/** AADSTS90002, as the token endpoint sends it. */
export function tenantNotFoundAtTokenEndpoint(tenant: string): string {
  return `${tenantNotFound(tenant)} Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`;
}

/** AADSTS1002012: a client-credentials scope without `/.default`. */
export function invalidClientCredentialsScope(scope: string): string {
  return `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`;
}

/** AADSTS700016: no application with that client id in the tenant. */
export function applicationNotFound(clientId: string, tenantName: string): string {
  return `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`;
}

/** AADSTS500011: no resource (API) with that identifier in the tenant. */
export function resourcePrincipalNotFound(resource: string, tenantName: string): string {
  return `The resource principal named ${resource} was not found in the tenant named ${tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`;
}

/** AADSTS7000215: a wrong client secret. */
export function invalidClientSecret(appId: string): string {
  return `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${appId}'.`;
}

/** AADSTS7000222: the client secret has expired. */
export function clientSecretExpired(appId: string): string {
  return `The provided client secret keys for app '${appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`;
}

/** AADSTS700024: a client assertion outside its time range (times as Entra prints them). */
export function assertionOutsideTimeRange(now: string, validFrom: string, expiry: string): string {
  return `Client assertion is not within its valid time range. Current time: ${now}, assertion valid from ${validFrom}, expiry time of assertion ${expiry}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`;
}

/** AADSTS700027: the assertion's certificate is not registered on the application. */
export function certificateNotRegistered(thumbprint: string, appId: string): string {
  return `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${appId}'.]`;
}

// The managed-identity endpoints of one lab host, under `/hosts{ARM id}` on the lab's HTTP
// port: what an app running "as" that host is pointed at.

/** AZURE_POD_IDENTITY_AUTHORITY_HOST for an IMDS-style host: the SDK appends `/metadata/identity/oauth2/token`. */
export const imdsAuthorityHost = (labUrl: string, hostId: string): string => `${labUrl}/hosts${hostId}`;

/** IDENTITY_ENDPOINT for an App Service-style host. */
export const identityEndpointUrl = (labUrl: string, hostId: string): string => `${labUrl}/hosts${hostId}/msi/token`;

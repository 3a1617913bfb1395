// An unmodified Azure SDK app (one flow per process: msal-node caches identity sources and
// tokens per process). Arguments: a JSON object { credential: 'managed' | 'default', clientId?,
// resourceId?, objectId?, scope?, timeoutMs? }. Prints the token's claims, or the error's name
// and message, as JSON.
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';

const options = JSON.parse(process.argv[2] ?? '{}');
const identity = options.clientId
  ? { clientId: options.clientId }
  : options.resourceId
    ? { resourceId: options.resourceId }
    : options.objectId
      ? { objectId: options.objectId }
      : {};
const credential =
  options.credential === 'default'
    ? new DefaultAzureCredential(options.clientId ? { managedIdentityClientId: options.clientId } : {})
    : new ManagedIdentityCredential(identity);
try {
  const token = await credential.getToken(
    options.scope ?? 'https://vault.azure.net/.default',
    options.timeoutMs ? { requestOptions: { timeout: options.timeoutMs } } : {},
  );
  const claims = JSON.parse(Buffer.from(token.token.split('.')[1], 'base64url').toString());
  console.log(JSON.stringify({ ok: true, expiresOnTimestamp: token.expiresOnTimestamp, claims }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, name: error.name, message: error.message }));
}

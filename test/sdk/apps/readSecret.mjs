// An app that reads or writes a Key Vault secret with the real SDK, exactly as on Azure (the
// lab's environment makes {vault}.vault.azure.net reach the lab).
// Arguments (JSON): { vaultUrl, name, value?, audience? } — `audience` swaps in a token for
// another API, to show what Key Vault says about a wrong audience.
import { DefaultAzureCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';

const { vaultUrl, name, value, audience } = JSON.parse(process.argv[2] ?? '{}');
const base = new DefaultAzureCredential();
const credential = audience ? { getToken: () => base.getToken(`${audience}/.default`) } : base;
const client = new SecretClient(vaultUrl, credential);
try {
  const secret = value === undefined ? await client.getSecret(name) : await client.setSecret(name, value);
  console.log(JSON.stringify({ ok: true, value: secret.value, version: secret.properties.version, id: secret.properties.id }));
} catch (error) {
  console.log(
    JSON.stringify({
      ok: false,
      name: error.name,
      statusCode: error.statusCode,
      code: error.code,
      innerCode: error.details?.error?.innerError?.code,
      message: error.message,
    }),
  );
}

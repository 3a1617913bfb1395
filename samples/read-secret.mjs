// An unmodified Azure SDK app: reads a Key Vault secret with DefaultAzureCredential, exactly
// as it would on an Azure VM or App Service (past the guard it imports first, which refuses to
// run outside the lab's environment). Usage: node samples/read-secret.mjs <vault URL> <secret name>
import './requireLab.mjs';
import { DefaultAzureCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';

const [vaultUrl = process.env.VAULT_URL, name = 'db-password'] = process.argv.slice(2);
if (!vaultUrl) {
  console.error('usage: node samples/read-secret.mjs <vault URL> [secret name]');
  process.exit(2);
}
const client = new SecretClient(vaultUrl, new DefaultAzureCredential());
try {
  const secret = await client.getSecret(name);
  console.log(`Read ${name} (version ${secret.properties.version}); its value has ${secret.value?.length ?? 0} characters.`);
} catch (error) {
  console.error(`${error.name}: ${error.statusCode ?? ''} ${error.code ?? ''}\n${error.message}`);
  process.exit(1);
}

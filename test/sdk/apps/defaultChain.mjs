// An unmodified app on "your machine" (milab env --as local): DefaultAzureCredential with no
// options, reading a Key Vault secret. Prints whether it worked, how, and how long the
// credential chain took (the first getToken) and the whole read.
// Arguments (JSON): { vaultUrl, name, scope? }.
import { DefaultAzureCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { performance } from 'node:perf_hooks';

const { vaultUrl, name, scope } = JSON.parse(process.argv[2] ?? '{}');
const credential = new DefaultAzureCredential();
const started = performance.now();
try {
  if (scope) {
    const token = await credential.getToken(scope);
    const claims = JSON.parse(Buffer.from(token.token.split('.')[1], 'base64url').toString());
    console.log(JSON.stringify({ ok: true, claims, elapsedMs: Math.round(performance.now() - started) }));
  } else {
    const secret = await new SecretClient(vaultUrl, credential).getSecret(name);
    console.log(JSON.stringify({ ok: true, value: secret.value, elapsedMs: Math.round(performance.now() - started) }));
  }
} catch (error) {
  console.log(
    JSON.stringify({
      ok: false,
      name: error.name,
      statusCode: error.statusCode,
      code: error.code,
      message: error.message,
      elapsedMs: Math.round(performance.now() - started),
    }),
  );
}

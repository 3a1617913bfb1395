// Bench child: the crypto limit — a bare node:http server that signs a fresh RS256 token with
// jose for every request (claims of the lab's own shape, the key imported once), and answers
// IMDS's JSON around it. No lab at all: what signing alone costs on this machine.
import { createServer } from 'node:http';
import { generateKeyPair, SignJWT } from 'jose';
import { accessTokenClaims } from '../../src/engine/azure/accessTokens';

async function main(): Promise<void> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const subject = {
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    objectId: '11111111-2222-3333-4444-555555555555',
    appId: '66666666-7777-8888-9999-000000000000',
    appIdAcr: '2' as const,
    managedIdentityResourceId:
      '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-lab/providers/Microsoft.Compute/virtualMachines/vm-web',
  };
  const server = createServer((_req, res) => {
    const now = Math.floor(Date.now() / 1000);
    const claims = accessTokenClaims(subject, 'https://vault.azure.net', now, 86_400);
    void new SignJWT({ ...claims })
      .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: 'bench', x5t: 'bench' })
      .sign(privateKey)
      .then(token => {
        const body = JSON.stringify({
          access_token: token,
          client_id: subject.appId,
          expires_in: '86400',
          expires_on: String(claims.exp),
          ext_expires_in: '86400',
          not_before: String(claims.nbf),
          resource: 'https://vault.azure.net',
          token_type: 'Bearer',
        });
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
      });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/` }) + '\n');
  });
}
void main();

// Bench child: the peer — oauth2-mock-server's token endpoint, signing RS256 like the lab.
import { OAuth2Server } from 'oauth2-mock-server';

async function main(): Promise<void> {
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  process.stdout.write(JSON.stringify({ url: `${server.issuer.url}/token` }) + '\n');
}
void main();

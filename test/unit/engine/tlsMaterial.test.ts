// Trusting the lab's CA (NODE_EXTRA_CA_CERTS) must not let it vouch for any other site: its name
// constraints allow only the names and addresses the lab serves, and it lives about a year. The
// proof is a real TLS handshake: certificates signed by the lab CA's own key, for a lab name and for
// another name, checked by Node's (OpenSSL's) verifier.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createTlsMaterial, TLS_LIFETIME_DAYS, tlsNeedsRenewal, tlsPems, TLS_VERSION } from '../../../src/engine/state/tlsMaterial';
import { createCertificate } from '../../../src/engine/base/crypto/x509';
import { fromBase64, toPem } from '../../../src/engine/base/encoding';

const RSA = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' } as const;
const DAY = 24 * 3600_000;

/** A server certificate for `dnsName`, signed with the lab CA's key; then a handshake trusting only the lab CA. */
async function handshake(material: Awaited<ReturnType<typeof createTlsMaterial>>, dnsName: string): Promise<string> {
  const caKey = await crypto.subtle.importKey('pkcs8', fromBase64(material.caKey)!, RSA, false, ['sign']);
  const caPem = tlsPems(material).ca;
  const caSpki = new Uint8Array(new X509Certificate(caPem).publicKey.export({ type: 'spki', format: 'der' }));
  const leaf = await crypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
  const cert = await createCertificate({
    subject: { commonName: dnsName },
    issuer: { commonName: `Managed Identity Lab CA (test)`, organization: 'Managed Identity Lab' },
    subjectPublicKey: new Uint8Array(await crypto.subtle.exportKey('spki', leaf.publicKey)),
    issuerPublicKey: caSpki,
    signingKey: caKey,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + DAY),
    serverAuth: { dnsNames: [dnsName], ipAddresses: [] },
  });
  const key = toPem('PRIVATE KEY', new Uint8Array(await crypto.subtle.exportKey('pkcs8', leaf.privateKey)));
  const server = tls.createServer({ cert: toPem('CERTIFICATE', cert), key }, socket => socket.end('ok'));
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  try {
    return await new Promise<string>(resolve => {
      const socket = tls.connect(
        { port: (server.address() as AddressInfo).port, host: '127.0.0.1', servername: dnsName, ca: caPem },
        () => {
          socket.end();
          resolve('trusted');
        },
      );
      socket.on('error', error => resolve(`${(error as NodeJS.ErrnoException).code}: ${error.message}`));
    });
  } finally {
    server.close();
  }
}

describe('engine: the lab CA vouches for the lab’s names only', function () {
  this.timeout(30_000);
  let material: Awaited<ReturnType<typeof createTlsMaterial>>;
  before(async () => {
    // The CA's subject must match what handshake() writes as the issuer.
    material = await createTlsMaterial(Date.now(), 'test');
  });

  it('a certificate it signs for another name is refused by a client that trusts it', async () => {
    assert.equal(await handshake(material, 'kv-lab.vault.azure.net'), 'trusted');
    for (const name of ['evil.example', 'graph.microsoft.com', 'vault.azure.net.evil.example']) {
      const answer = await handshake(material, name);
      assert.notEqual(answer, 'trusted', `the lab CA vouched for ${name}`);
      assert.match(answer, /PERMITTED|NAME_CONSTRAINTS|permitted subtree/i, `${name}: ${answer}`);
    }
  });

  it('carries critical name constraints for the names and addresses it serves, and lives about a year', () => {
    const text = spawnSync('openssl', ['x509', '-noout', '-text'], { input: tlsPems(material).ca, encoding: 'utf8' }).stdout;
    assert.match(
      text,
      /X509v3 Name Constraints: critical\s+Permitted:\s+DNS:localhost\s+DNS:management\.azure\.com\s+DNS:login\.microsoftonline\.com\s+DNS:vault\.azure\.net\s+DNS:blob\.core\.windows\.net\s+DNS:database\.windows\.net\s+IP:127\.0\.0\.1\/255\.255\.255\.255\s+IP:0:0:0:0:0:0:0:1\/FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF/,
    );
    const ca = new X509Certificate(tlsPems(material).ca);
    const days = (Date.parse(ca.validTo) - Date.parse(ca.validFrom)) / DAY;
    assert.ok(days <= TLS_LIFETIME_DAYS + 1, `the CA lives ${days} days`);
    assert.equal(material.version, TLS_VERSION);
  });

  it('is renewed before it expires, and when its profile is older', () => {
    assert.equal(tlsNeedsRenewal(material, material.createdAt + 300 * DAY), false);
    assert.equal(tlsNeedsRenewal(material, material.createdAt + (TLS_LIFETIME_DAYS - 10) * DAY), true);
    assert.equal(tlsNeedsRenewal({ ...material, version: 3 }, material.createdAt), true);
  });
});

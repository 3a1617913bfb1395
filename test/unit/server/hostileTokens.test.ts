// Hostile tokens against every service: tampered signature, alg none, HMAC signed with the
// public key, expired, not yet valid, wrong audience, wrong issuer, another tenant's key,
// a spoofed kid, garbage. A valid token is the control; not one forgery may get through.
import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { SignJWT, generateKeyPair } from 'jose';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { startLabServer, type RunningLabServer } from '../../../src/server/labServer';
import { accessTokenClaims, TokenSigner } from '../../../src/engine/azure/accessTokens';
import { createOrUpdateResource } from '../../../src/engine/operations/resources';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';
import { imdsToken, labHttps } from '../../support/labHttps';

const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('server: hostile tokens are refused by every service', function () {
  this.timeout(60_000);
  let lab: Lab;
  let other: Lab;
  let server: RunningLabServer;
  let vmId: string;

  before(async () => {
    lab = await createLab();
    other = await createLab();
    server = await startLabServer(lab);
    vmId = lab.arm.resources.find(r => r.name === SAMPLE.vm)!.id;
    createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'storage', name: 'sthostile' });
  });
  after(() => server.close());

  const targets = () => {
    const port = server.port;
    return [
      {
        service: 'Key Vault',
        audience: 'https://vault.azure.net',
        url: `https://${SAMPLE.vault}.vault.azure.net:${port}/secrets/${SAMPLE.secret}?api-version=7.4`,
      },
      { service: 'Storage', audience: 'https://storage.azure.com/', url: `https://sthostile.blob.core.windows.net:${port}/?comp=list` },
      { service: 'ARM', audience: 'https://management.azure.com/', url: `${server.httpsUrl}${vmId}?api-version=2024-03-01` },
    ];
  };

  async function forgeries(audience: string, valid: string): Promise<Array<[string, string]>> {
    const [header, payload] = valid.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const head = JSON.parse(Buffer.from(header, 'base64url').toString());
    const now = Math.floor(Date.now() / 1000);
    const subject = {
      tenantId: lab.tenantId,
      objectId: claims.oid,
      appId: claims.appid,
      appIdAcr: '2' as const,
      managedIdentityResourceId: vmId,
    };
    const signWith = (signer: TokenSigner, c: ReturnType<typeof accessTokenClaims>) => signer.sign(c).then(t => t.accessToken);
    const labSigner = lab.tokenSigner;
    const jwk = lab.jwks().keys[0]!;
    const stranger = await generateKeyPair('RS256');
    const hmacInput = `${b64url({ ...head, alg: 'HS256' })}.${payload}`;
    return [
      [
        'tampered claims, original signature',
        `${header}.${b64url({ ...claims, oid: '00000000-0000-0000-0000-000000000000' })}.${valid.split('.')[2]}`,
      ],
      ['alg none', `${b64url({ typ: 'JWT', alg: 'none' })}.${payload}.`],
      [
        'HS256 signed with the public key (algorithm confusion)',
        `${hmacInput}.${createHmac('sha256', JSON.stringify(jwk)).update(hmacInput).digest('base64url')}`,
      ],
      [
        'HS256 signed with the modulus',
        `${hmacInput}.${createHmac('sha256', Buffer.from(jwk.n, 'base64url')).update(hmacInput).digest('base64url')}`,
      ],
      ['expired', await signWith(labSigner, accessTokenClaims(subject, audience, now - 3 * 86400, 3600))],
      [
        'not yet valid',
        await signWith(labSigner, { ...accessTokenClaims(subject, audience, now, 86400), nbf: now + 7200, iat: now + 7200 }),
      ],
      ['wrong audience', await signWith(labSigner, accessTokenClaims(subject, 'https://graph.microsoft.com', now, 3600))],
      [
        'wrong issuer',
        await signWith(labSigner, {
          ...accessTokenClaims(subject, audience, now, 3600),
          iss: 'https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/',
        }),
      ],
      [
        'another tenant’s token',
        await signWith(other.tokenSigner, accessTokenClaims({ ...subject, tenantId: other.tenantId }, audience, now, 3600)),
      ],
      ['a stranger’s key with the lab’s kid', await new SignJWT({ ...claims }).setProtectedHeader({ ...head }).sign(stranger.privateKey)],
      ['garbage', 'not-a-token'],
      ['three dots of garbage', 'a.b.c'],
      ['oversized', `${header}.${'A'.repeat(12_000)}.x`],
    ];
  }

  it('accepts the control (a genuine token) and refuses every forgery with a 401 in the service’s shape', async () => {
    let refused = 0;
    const accepted: string[] = [];
    for (const target of targets()) {
      const valid = await imdsToken(server, vmId, target.audience);
      const control = await labHttps(server, 'GET', target.url, { token: valid });
      assert.notEqual(
        control.status,
        401,
        `${target.service} must accept a genuine token (got ${control.status} ${control.text.slice(0, 200)})`,
      );
      for (const [name, token] of await forgeries(target.audience, valid)) {
        const answer = await labHttps(server, 'GET', target.url, { token });
        if (answer.status === 401) refused++;
        else accepted.push(`${target.service}: ${name} → ${answer.status}`);
        if (target.service === 'Storage') {
          assert.match(
            answer.text,
            /<Code>(InvalidAuthenticationInfo|NoAuthenticationInformation)<\/Code>/,
            `${name}: Storage's XML error`,
          );
        } else assert.ok(answer.json().error, `${target.service}, ${name}: an Azure-shaped error`);
      }
    }
    assert.deepEqual(accepted, [], 'no forgery may be accepted');
    console.log(`      ${refused} forged tokens refused across Key Vault, Storage and ARM; 0 accepted`);
  });
});

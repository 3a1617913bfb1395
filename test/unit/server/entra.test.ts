// Microsoft Entra ID's endpoints: discovery and keys (with rotation), and the client
// credentials grant with a secret, a certificate assertion and a federated assertion,
// failing with the AADSTS errors people actually hit.
import * as assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { SignJWT, importPKCS8, createLocalJWKSet, jwtVerify } from 'jose';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { startLabServer, type RunningLabServer } from '../../../src/server/labServer';
import { addCertificate, addFederatedCredential, addPassword, createApplication } from '../../../src/engine/operations/applications';
import { createCertificate } from '../../../src/engine/base/crypto/x509';
import { createOrUpdateResource } from '../../../src/engine/operations/resources';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';
import { issuerUrlOf, mintServiceAccountToken, serviceAccountSubject } from '../../../src/engine/services/entra/workloadIssuer';
import { labHttps } from '../../support/labHttps';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

describe('server: Microsoft Entra ID endpoints', () => {
  let lab: Lab;
  let server: RunningLabServer;
  const tokenUrl = () => `${server.httpsUrl}/${lab.tenantId}/oauth2/v2.0/token`;
  const post = (form: Record<string, string>, url = tokenUrl()) =>
    labHttps(server, 'POST', url, {
      body: new URLSearchParams(form).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
  const aadsts = (answer: { json(): Record<string, any> }) => String(answer.json().error_description).match(/^AADSTS(\d+):/)?.[1];

  before(async () => {
    lab = await createLab();
    server = await startLabServer(lab);
  });
  after(() => server.close());

  it('publishes OpenID configuration and keys that verify its tokens', async () => {
    const config = (await labHttps(server, 'GET', `${server.httpsUrl}/${lab.tenantId}/v2.0/.well-known/openid-configuration`)).json();
    assert.equal(config.issuer, `https://login.microsoftonline.com/${lab.tenantId}/v2.0`);
    assert.equal(config.token_endpoint, tokenUrl());
    const keys = (await labHttps(server, 'GET', config.jwks_uri)).json();
    assert.equal(keys.keys[0].kid, keys.keys[0].x5t);
    assert.equal(keys.keys[0].x5c.length, 1);
  });

  it('keeps the previous key published after a rotation, so tokens it signed still verify', async () => {
    const vm = lab.arm.resources.find(r => r.name === SAMPLE.vm)!;
    const before = (await (
      await fetch(
        `${server.imdsAuthorityHost(vm.id)}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net`,
        { headers: { Metadata: 'true' } },
      )
    ).json()) as { access_token: string };
    const oldKid = lab.jwks().keys[0]!.kid;
    await lab.rotateSigningKey();
    const kids = lab.jwks().keys.map(k => k.kid);
    assert.equal(kids.length, 2);
    assert.ok(kids.includes(oldKid));
    const after = (await (
      await fetch(
        `${server.imdsAuthorityHost(vm.id)}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com/`,
        { headers: { Metadata: 'true' } },
      )
    ).json()) as { access_token: string };
    assert.notEqual(
      JSON.parse(Buffer.from(after.access_token.split('.')[0]!, 'base64url').toString()).kid,
      oldKid,
      'new tokens use the new key',
    );
    const jwks = createLocalJWKSet(lab.jwks());
    await jwtVerify(before.access_token, jwks);
    await jwtVerify(after.access_token, jwks);
  });

  describe('client credentials', () => {
    let appId: string;
    let secret: string;
    before(async () => {
      appId = createApplication(lab, 'orders-api').application.appId;
      secret = (await addPassword(lab, appId)).secretText;
    });

    it('issues a v1 token for a client secret (appidacr 1)', async () => {
      const answer = await post({
        grant_type: 'client_credentials',
        client_id: appId,
        client_secret: secret,
        scope: 'https://vault.azure.net/.default',
      });
      assert.equal(answer.status, 200, answer.text);
      const body = answer.json();
      assert.equal(body.token_type, 'Bearer');
      assert.equal(typeof body.expires_in, 'number');
      const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1], 'base64url').toString());
      assert.equal(claims.appid, appId);
      assert.equal(claims.appidacr, '1');
      assert.equal(claims.aud, 'https://vault.azure.net');
      assert.equal(claims.iss, `https://sts.windows.net/${lab.tenantId}/`);
    });

    it('AADSTS7000215 for a wrong secret, 700016 for an unknown app, 500011 for an unknown resource', async () => {
      const wrong = await post({
        grant_type: 'client_credentials',
        client_id: appId,
        client_secret: 'nope',
        scope: 'https://vault.azure.net/.default',
      });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.json().error, 'invalid_client');
      assert.equal(aadsts(wrong), '7000215');
      assert.deepEqual(wrong.json().error_codes, [7000215]);
      const unknown = await post({
        grant_type: 'client_credentials',
        client_id: '11111111-2222-3333-4444-555555555555',
        client_secret: secret,
        scope: 'https://vault.azure.net/.default',
      });
      assert.equal(aadsts(unknown), '700016');
      assert.equal(unknown.json().error, 'unauthorized_client');
      const resource = await post({
        grant_type: 'client_credentials',
        client_id: appId,
        client_secret: secret,
        scope: 'https://nowhere.example/.default',
      });
      assert.equal(aadsts(resource), '500011');
      assert.match(
        resource.json().error_description,
        /The resource principal named https:\/\/nowhere\.example was not found in the tenant named Contoso Lab\./,
      );
      const scope = await post({
        grant_type: 'client_credentials',
        client_id: appId,
        client_secret: secret,
        scope: 'https://vault.azure.net',
      });
      assert.equal(aadsts(scope), '1002012');
    });

    it('shows only grant_type, client_id, scope, resource and client_assertion_type in traces; every other field is redacted', async () => {
      const form = {
        grant_type: 'password',
        client_id: appId,
        scope: 'https://vault.azure.net/.default',
        username: 'learner@contosolab.onmicrosoft.com',
        password: 'hunter2-pw',
        refresh_token: 'rt-value',
        code: 'code-value',
        code_verifier: 'verifier-value',
        client_secret: 'secret-value',
      };
      await post(form);
      const trace = JSON.stringify(lab.traces.latest);
      for (const value of ['hunter2-pw', 'rt-value', 'code-value', 'verifier-value', 'secret-value', 'learner@contosolab']) {
        assert.ok(!trace.includes(value), `${value} must not be in the trace`);
      }
      for (const field of ['username', 'password', 'refresh_token', 'code', 'code_verifier', 'client_secret']) {
        assert.match(trace, new RegExp(`[&"]${field}=\\[redacted\\]`));
      }
      assert.match(trace, new RegExp(`grant_type=password&client_id=${appId}&scope=https://vault\\.azure\\.net/\\.default&`));
    });

    /** Registers a new certificate on the app; returns a signer of client assertions with its key. */
    async function certificateAssertions() {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
      const signing = await crypto.subtle.importKey(
        'pkcs8',
        privateKey.export({ type: 'pkcs8', format: 'der' }),
        { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
        false,
        ['sign'],
      );
      const der = await createCertificate({
        subject: { commonName: 'orders-api' },
        subjectPublicKey: spki,
        signingKey: signing,
        notBefore: new Date(Date.now() - 3600_000),
        notAfter: new Date(Date.now() + 86400_000),
      });
      await addCertificate(lab, appId, Buffer.from(der).toString('base64'));
      const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const x5t = createHash('sha1').update(der).digest('base64url');
      return async (
        exp: number,
        {
          header = { x5t },
          audience = tokenUrl(),
          alg = 'RS256',
        }: { header?: Record<string, string>; audience?: string; alg?: string } = {},
      ) =>
        new SignJWT({ jti: crypto.randomUUID() })
          .setProtectedHeader({ alg, typ: 'JWT', ...header })
          .setIssuer(appId)
          .setSubject(appId)
          .setAudience(audience)
          .setIssuedAt()
          .setNotBefore(exp - 600)
          .setExpirationTime(exp)
          .sign(await importPKCS8(pem, alg));
    }

    it('accepts a certificate-signed client assertion (appidacr 2), refuses an unregistered key (700027) and an expired assertion (700024)', async () => {
      const assertion = await certificateAssertions();
      const now = Math.floor(Date.now() / 1000);
      const ok = await post({
        grant_type: 'client_credentials',
        client_id: appId,
        client_assertion_type: JWT_BEARER,
        client_assertion: await assertion(now + 600),
        scope: 'https://management.azure.com/.default',
      });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(JSON.parse(Buffer.from(ok.json().access_token.split('.')[1], 'base64url').toString()).appidacr, '2');
      const stranger = await post({
        grant_type: 'client_credentials',
        client_id: appId,
        client_assertion_type: JWT_BEARER,
        client_assertion: await assertion(now + 600, { header: { x5t: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA' } }),
        scope: 'https://management.azure.com/.default',
      });
      assert.equal(aadsts(stranger), '700027');
      const expired = await post({
        grant_type: 'client_credentials',
        client_id: appId,
        client_assertion_type: JWT_BEARER,
        client_assertion: await assertion(now - 3600),
        scope: 'https://management.azure.com/.default',
      });
      assert.equal(aadsts(expired), '700024');
      assert.match(
        expired.json().error_description,
        /Client assertion is not within its valid time range\. Current time: \d{4}-\d\d-\d\dT[\d:.]+Z, assertion valid from/,
      );
    });

    it('requires the tenant’s token endpoint as a certificate assertion’s audience (AADSTS700023) and an RS256 or PS256 signature', async () => {
      const assertion = await certificateAssertions();
      const exp = Math.floor(Date.now() / 1000) + 600;
      const withAssertion = async (clientAssertion: string) =>
        post({
          grant_type: 'client_credentials',
          client_id: appId,
          client_assertion_type: JWT_BEARER,
          client_assertion: clientAssertion,
          scope: 'https://management.azure.com/.default',
        });
      for (const audience of [
        'https://management.azure.com/',
        `${server.httpsUrl}/${lab.tenantId}/oauth2/v2.0/authorize`,
        `https://evil.example/${lab.tenantId}/oauth2/v2.0/token`,
        `${server.httpsUrl}/common/oauth2/v2.0/token`,
      ]) {
        const refused = await withAssertion(await assertion(exp, { audience }));
        assert.equal(refused.status, 401, `${audience}: ${refused.text}`);
        assert.equal(aadsts(refused), '700023', audience);
        assert.match(refused.json().error_description, /^AADSTS700023: Client assertion audience claim does not match Realm issuer\./);
      }
      const accepted = [
        tokenUrl(),
        `${server.httpsUrl}/${lab.tenantId}/oauth2/token`,
        `https://login.microsoftonline.com/${lab.tenantId}/oauth2/v2.0/token`,
        `https://login.microsoftonline.com/${lab.directory.tenant.defaultDomain}/oauth2/token`,
      ];
      for (const audience of accepted) assert.equal((await withAssertion(await assertion(exp, { audience }))).status, 200, audience);
      assert.equal((await withAssertion(await assertion(exp, { alg: 'PS256' }))).status, 200, 'PS256');
      const rs384 = await withAssertion(await assertion(exp, { alg: 'RS384' }));
      assert.equal(rs384.status, 401);
      assert.equal(aadsts(rs384), '50012');
    });
  });

  describe('workload identity federation (an AKS pod as a user-assigned identity)', () => {
    let clientId: string;
    let cluster: ReturnType<typeof createOrUpdateResource>;
    before(() => {
      cluster = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'aks', name: 'aks-lab' });
      const identity = createOrUpdateResource(lab, LAB_CALLER, {
        resourceGroup: SAMPLE.resourceGroup,
        type: 'identity',
        name: 'id-workload',
      });
      clientId = identity.managedIdentity!.clientId;
      addFederatedCredential(lab, identity.id, {
        name: 'orders-pod',
        issuer: issuerUrlOf(lab, cluster),
        subject: serviceAccountSubject('orders', 'orders-sa'),
      });
    });

    it('exchanges a matching service-account token for an access token of the identity', async () => {
      const assertion = await mintServiceAccountToken(lab, cluster, 'orders', 'orders-sa');
      const answer = await post({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_assertion_type: JWT_BEARER,
        client_assertion: assertion,
        scope: 'https://vault.azure.net/.default',
      });
      assert.equal(answer.status, 200, answer.text);
      const claims = JSON.parse(Buffer.from(answer.json().access_token.split('.')[1], 'base64url').toString());
      assert.equal(claims.appid, clientId);
      assert.match(claims.xms_mirid, /userAssignedIdentities\/id-workload$/);
    });

    it('AADSTS700213 when the subject does not match (case-sensitive), 70021 for an unknown issuer', async () => {
      const wrongSubject = await post({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_assertion_type: JWT_BEARER,
        client_assertion: await mintServiceAccountToken(lab, cluster, 'orders', 'other-sa'),
        scope: 'https://vault.azure.net/.default',
      });
      assert.equal(aadsts(wrongSubject), '700213');
      assert.match(wrongSubject.json().error_description, /presented assertion subject 'system:serviceaccount:orders:other-sa'/);
      const other = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'aks', name: 'aks-other' });
      const wrongIssuer = await post({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_assertion_type: JWT_BEARER,
        client_assertion: await mintServiceAccountToken(lab, other, 'orders', 'orders-sa'),
        scope: 'https://vault.azure.net/.default',
      });
      assert.equal(aadsts(wrongIssuer), '70021');
    });
  });
});

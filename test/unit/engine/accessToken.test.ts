import * as assert from 'node:assert/strict';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import { ManagedIdentityTokens } from '../../../src/engine/services/managedIdentity/acquire';

describe('engine: managed-identity access tokens', () => {
  it('issues an RS256 v1 token that verifies against the lab JWKS, with the managed-identity claims', async () => {
    const lab = await createLab();
    const vm = lab.arm.resources.find(r => r.name === SAMPLE.vm)!;
    const result = await new ManagedIdentityTokens(lab).acquire(vm, 'https://vault.azure.net', undefined);
    assert.ok(result.ok, 'token request should succeed');

    const header = decodeProtectedHeader(result.token.accessToken);
    assert.equal(header.alg, 'RS256');
    assert.equal(header.typ, 'JWT');
    assert.equal(header.kid, lab.jwks().keys[0]!.kid);
    assert.equal(header.x5t, header.kid);

    const { payload } = await jwtVerify(result.token.accessToken, createLocalJWKSet(lab.jwks()), {
      issuer: `https://sts.windows.net/${lab.tenantId}/`,
      audience: 'https://vault.azure.net',
      algorithms: ['RS256'],
    });
    const system = vm.identity!.systemAssigned!;
    assert.equal(payload['oid'], system.principalId);
    assert.equal(payload.sub, system.principalId);
    assert.equal(payload['appid'], system.clientId);
    assert.equal(payload['appidacr'], '2');
    assert.equal(payload['idp'], `https://sts.windows.net/${lab.tenantId}/`);
    assert.equal(payload['tid'], lab.tenantId);
    assert.equal(payload['ver'], '1.0');
    assert.equal(payload['xms_mirid'], vm.id);
    assert.equal(payload['xms_az_rid'], undefined, 'system-assigned tokens carry no xms_az_rid');
    assert.equal(typeof payload['uti'], 'string');
    const lifetime = payload.exp! - payload.iat!;
    assert.ok(lifetime >= 24 * 3600 && lifetime <= 24 * 3600 + 600, `about 24 h, got ${lifetime} s`);
  });

  it('does not verify against another lab’s keys', async () => {
    const [a, b] = [await createLab(), await createLab()];
    const vm = a.arm.resources.find(r => r.name === SAMPLE.vm)!;
    const result = await new ManagedIdentityTokens(a).acquire(vm, 'https://vault.azure.net', undefined);
    assert.ok(result.ok);
    await assert.rejects(jwtVerify(result.token.accessToken, createLocalJWKSet(b.jwks())));
  });

  it('records each issued token as a trace only through an endpoint (the engine call itself records none)', async () => {
    const lab = await createLab();
    const vm = lab.arm.resources.find(r => r.name === SAMPLE.vm)!;
    await new ManagedIdentityTokens(lab).acquire(vm, 'https://vault.azure.net', undefined);
    assert.equal(lab.traces.all.length, 0);
  });
});

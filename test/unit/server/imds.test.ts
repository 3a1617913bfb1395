import * as assert from 'node:assert/strict';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import type { RunningLabServer } from '../../../src/server/labServer';
import { startLabServer } from '../../../src/server/labServer';

describe('server: IMDS token endpoint over HTTP', () => {
  let lab: Lab;
  let server: RunningLabServer;
  let vmId: string;

  before(async () => {
    lab = await createLab();
    server = await startLabServer(lab);
    vmId = lab.arm.resources.find(r => r.name === SAMPLE.vm)!.id;
  });
  after(() => server.close());

  const tokenUrl = (query: string) => `${server.imdsAuthorityHost(vmId)}/metadata/identity/oauth2/token?${query}`;

  it('listens on 127.0.0.1 only', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("answers Azure's success JSON, every field a string, with a token that verifies against the JWKS endpoint", async () => {
    const response = await fetch(tokenUrl('api-version=2018-02-01&resource=https://vault.azure.net'), { headers: { Metadata: 'true' } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const body = (await response.json()) as Record<string, unknown>;
    for (const field of [
      'access_token',
      'client_id',
      'expires_in',
      'expires_on',
      'ext_expires_in',
      'not_before',
      'resource',
      'token_type',
    ]) {
      assert.equal(typeof body[field], 'string', `${field} should be a string`);
    }
    assert.equal(body['token_type'], 'Bearer');
    assert.equal(body['resource'], 'https://vault.azure.net');
    const jwks = createRemoteJWKSet(new URL(`${server.url}/${lab.tenantId}/discovery/v2.0/keys`));
    const { payload } = await jwtVerify(String(body['access_token']), jwks, {
      audience: 'https://vault.azure.net',
      issuer: `https://sts.windows.net/${lab.tenantId}/`,
    });
    assert.equal(String(payload.exp), body['expires_on']);
    assert.equal(String(payload.nbf), body['not_before']);
    assert.equal(payload['appid'], body['client_id']);
  });

  it('accepts the trailing slash and lower-cased path the SDK sends', async () => {
    const url =
      `${server.imdsAuthorityHost(vmId)}/metadata/identity/oauth2/token/?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net`.toLowerCase();
    const response = await fetch(url, { headers: { metadata: 'true' } });
    assert.equal(response.status, 200);
  });

  it('answers 400 bad_request_102 without the Metadata header', async () => {
    const response = await fetch(tokenUrl('api-version=2018-02-01&resource=https://vault.azure.net'));
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { error: 'bad_request_102', error_description: 'Required metadata header not specified' });
  });

  it('records a trace for every request, success and failure alike, without the token itself', async () => {
    const before = lab.traces.all.length;
    const response = await fetch(tokenUrl('api-version=2018-02-01&resource=https://vault.azure.net&bypass_cache=true'), {
      headers: { Metadata: 'true' },
    });
    const token = String(((await response.json()) as Record<string, unknown>)['access_token']);
    await fetch(tokenUrl('api-version=2018-02-01&resource=https://vault.azure.net'));
    const [ok, failed] = lab.traces.all.slice(before);
    assert.equal(ok?.outcome, 'success');
    assert.equal(ok?.hostResourceId, vmId);
    assert.deepEqual(
      ok?.participants.map(p => p.kind),
      ['app', 'imds', 'entra'],
    );
    assert.ok(!JSON.stringify(ok).includes(token), 'the signed token must not be stored in the trace');
    assert.equal(failed?.outcome, 'failure');
    assert.equal(failed?.status, 400);
    assert.equal(failed?.errorCode, 'bad_request_102');
  });
});

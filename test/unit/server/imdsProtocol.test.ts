// The rest of IMDS's identity protocol: info, api-version, selectors, proxies, the cache,
// and the faults lessons switch on. (Success and the Metadata header: imds.test.ts.)
import * as assert from 'node:assert/strict';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { startLabServer, type RunningLabServer } from '../../../src/server/labServer';
import { setHostFaults } from '../../../src/engine/operations/faults';
import { createOrUpdateResource } from '../../../src/engine/operations/resources';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';

describe('server: IMDS identity protocol details', () => {
  let lab: Lab;
  let server: RunningLabServer;
  let vmId: string;
  const get = async (path: string, headers: Record<string, string> = { Metadata: 'true' }) => {
    const response = await fetch(`${server.imdsAuthorityHost(vmId)}${path}`, { headers });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const token = (query: string, headers?: Record<string, string>) => get(`/metadata/identity/oauth2/token?${query}`, headers);

  before(async () => {
    lab = await createLab();
    server = await startLabServer(lab);
    vmId = lab.arm.resources.find(r => r.name === SAMPLE.vm)!.id;
  });
  after(() => server.close());

  it('serves /metadata/identity/info with the tenant', async () => {
    assert.deepEqual(await get('/metadata/identity/info?api-version=2018-02-01'), { status: 200, body: { tenantId: lab.tenantId } });
  });

  it('requires a supported api-version and a resource', async () => {
    const missing = await token('resource=https://vault.azure.net');
    assert.equal(missing.status, 400);
    assert.match(missing.body['error'], /api-version was not specified in the request/);
    assert.ok(Array.isArray(missing.body['newest-versions']));
    assert.equal((await token('api-version=1999-01-01&resource=https://vault.azure.net')).status, 400);
    assert.deepEqual((await token('api-version=2018-02-01')).body, {
      error: 'invalid_request',
      error_description: 'Required audience parameter not specified',
    });
  });

  it('refuses several identity selectors at once, repeated parameters and proxied requests', async () => {
    const both = await token('api-version=2018-02-01&resource=https://vault.azure.net&client_id=a&msi_res_id=b');
    assert.equal(both.status, 400);
    assert.equal(both.body['error'], 'invalid_request');
    assert.equal((await token('api-version=2018-02-01&resource=https://vault.azure.net&resource=https://vault.azure.net')).status, 400);
    const proxied = await token('api-version=2018-02-01&resource=https://vault.azure.net', {
      Metadata: 'true',
      'X-Forwarded-For': '10.1.2.3',
    });
    assert.equal(proxied.status, 400);
  });

  it('answers an unknown resource the way Azure does (invalid_resource relaying AADSTS500011)', async () => {
    const answer = await token('api-version=2018-02-01&resource=https://unknown.example');
    assert.equal(answer.status, 400);
    assert.equal(answer.body['error'], 'invalid_resource');
    assert.match(
      answer.body['error_description'],
      /^AADSTS500011: The resource principal named https:\/\/unknown\.example was not found in the tenant named Contoso Lab\..*Trace ID: [0-9a-f-]{36} Correlation ID: [0-9a-f-]{36} Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
    );
  });

  it('caches tokens per identity and resource, and bypass_cache=true gets a new one', async () => {
    const first = await token('api-version=2018-02-01&resource=https://management.azure.com/');
    const again = await token('api-version=2018-02-01&resource=https://management.azure.com/');
    assert.equal(again.body['access_token'], first.body['access_token']);
    const fresh = await token('api-version=2018-02-01&resource=https://management.azure.com/&bypass_cache=true');
    assert.notEqual(fresh.body['access_token'], first.body['access_token']);
  });

  it('a user-assigned identity attached to two VMs: each VM gets a token naming itself (xms_az_rid), never the other’s cached one', async () => {
    const identity = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'identity', name: 'id-shared' });
    const vmA = createOrUpdateResource(lab, LAB_CALLER, {
      resourceGroup: SAMPLE.resourceGroup,
      type: 'vm',
      name: 'vm-a',
      identity: { userAssigned: [identity.id] },
    });
    const vmB = createOrUpdateResource(lab, LAB_CALLER, {
      resourceGroup: SAMPLE.resourceGroup,
      type: 'vm',
      name: 'vm-b',
      identity: { userAssigned: [identity.id] },
    });
    const claimsFrom = async (hostId: string, selector: string) => {
      const response = await fetch(
        `${server.imdsAuthorityHost(hostId)}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net${selector}`,
        { headers: { Metadata: 'true' } },
      );
      const body = (await response.json()) as { access_token: string };
      return JSON.parse(Buffer.from(body.access_token.split('.')[1]!, 'base64url').toString()) as Record<string, string>;
    };
    for (const selector of ['', `&client_id=${identity.managedIdentity!.clientId}`, `&msi_res_id=${encodeURIComponent(identity.id)}`]) {
      for (const vm of [vmA, vmB, vmA, vmB]) {
        const claims = await claimsFrom(vm.id, selector);
        assert.equal(claims['oid'], identity.managedIdentity!.principalId);
        assert.equal(claims['xms_mirid'], identity.id);
        assert.equal(claims['xms_az_rid'], vm.id, `${vm.name} with selector '${selector}'`);
      }
    }
  });

  it('never serves a cached token signed by a key the lab no longer publishes (after undo or a replaced state)', async () => {
    const query = 'api-version=2018-02-01&resource=https://storage.azure.com/';
    const kidOf = (body: Record<string, any>) =>
      JSON.parse(Buffer.from(String(body['access_token']).split('.')[0]!, 'base64url').toString()).kid as string;
    const published = () => lab.jwks().keys.map(k => k.kid);
    // Undo: a key rotated in after the checkpoint is gone again.
    lab.checkpoint('before rotation');
    await lab.rotateSigningKey();
    const rotated = await token(query);
    assert.ok(published().includes(kidOf(rotated.body)));
    lab.undo();
    assert.ok(!published().includes(kidOf(rotated.body)), 'the rotated-in key is no longer published');
    const afterUndo = await token(query);
    assert.ok(published().includes(kidOf(afterUndo.body)), 'the token after undo is signed by a published key');
    // A replaced state (reset, import) with other signing keys.
    const state = lab.toState();
    state.signingKeys = (await createLab()).toState().signingKeys;
    lab.replaceState(state);
    const afterReplace = await token(query);
    assert.notEqual(afterReplace.body['access_token'], afterUndo.body['access_token']);
    assert.ok(published().includes(kidOf(afterReplace.body)), 'the token after a replaced state is signed by a published key');
  });

  it('simulates the faults lessons need: 410 updating, 404, 500, latency and throttling', async () => {
    const query = 'api-version=2018-02-01&resource=https://vault.azure.net';
    for (const [failure, status] of [
      ['gone410', 410],
      ['notFound404', 404],
      ['serverError500', 500],
    ] as const) {
      setHostFaults(lab, vmId, { failure });
      const answer = await token(query);
      assert.equal(answer.status, status, failure);
      assert.equal(typeof answer.body['error'], 'string');
    }
    setHostFaults(lab, vmId, { failure: 'none', latencyMs: 300 });
    const started = Date.now();
    assert.equal((await token(query)).status, 200);
    assert.ok(Date.now() - started >= 290, 'latency is added');
    setHostFaults(lab, vmId, { latencyMs: 0 });
    const burst = await Promise.all(Array.from({ length: 30 }, () => token(query)));
    const throttled = burst.filter(b => b.status === 429);
    assert.ok(throttled.length >= 10, `20 per second: ${throttled.length} of 30 throttled`);
    assert.deepEqual(throttled[0]!.body, { error: 'too_many_requests', error_description: 'IMDS Throttle limit reached' });
    assert.ok(
      lab.traces.all.some(t => t.status === 429),
      'throttled requests are traced too',
    );
  });
});

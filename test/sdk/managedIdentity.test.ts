// The real @azure/identity against the lab's managed-identity endpoints: tokens through the
// IMDS route and the App Service route, and the lab's failures surfacing with the names and
// messages the SDK gives against Azure.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { labEnv, runApp, startLab } from './harness';
import type { LabHost } from '../../src/host/labHost';
import { LAB_CALLER } from '../../src/engine/lab/authorization';
import { createOrUpdateResource, createOrUpdateResourceGroup } from '../../src/engine/operations/resources';
import { assignUserIdentities } from '../../src/engine/operations/identities';
import { setHostFaults } from '../../src/engine/operations/faults';
import type { ReadonlyResource } from '../../src/engine/state/labState';

describe('sdk: @azure/identity against the lab (each flow in its own process)', function () {
  this.timeout(120_000);
  let host: LabHost;
  let stateDir: string;
  let vm: ReadonlyResource;
  let idA: ReadonlyResource;
  let idB: ReadonlyResource;

  before(async () => {
    ({ host, stateDir } = await startLab());
    const lab = host.lab;
    vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    idA = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: 'rg-lab', type: 'identity', name: 'id-orders' });
    idB = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: 'rg-lab', type: 'identity', name: 'id-billing' });
    assignUserIdentities(lab, LAB_CALLER, vm.id, [idA.id]);
    createOrUpdateResource(lab, LAB_CALLER, {
      resourceGroup: 'rg-lab',
      type: 'vm',
      name: 'vm-two-ids',
      identity: { userAssigned: [idA.id, idB.id] },
    });
    createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: 'rg-lab', type: 'vm', name: 'vm-no-id' });
    createOrUpdateResource(lab, LAB_CALLER, {
      resourceGroup: 'rg-lab',
      type: 'vm',
      name: 'vm-throttled',
      identity: { systemAssigned: true },
    });
    createOrUpdateResourceGroup(lab, LAB_CALLER, { name: 'rg-web', location: 'westeurope' });
    createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: 'rg-web', type: 'appserviceplan', name: 'plan-web' });
    createOrUpdateResource(lab, LAB_CALLER, {
      resourceGroup: 'rg-web',
      type: 'webapp',
      name: 'web-orders',
      identity: { systemAssigned: true, userAssigned: [idB.id] },
    });
  });
  after(() => host.close());

  it('ManagedIdentityCredential gets a system-assigned token through the IMDS route', async () => {
    const result = await runApp('getToken.mjs', await labEnv(stateDir, 'vm-web'), { credential: 'managed' });
    assert.ok(result.ok, result.message);
    assert.equal(result.claims!['oid'], vm.identity!.systemAssigned!.principalId);
    assert.equal(result.claims!['aud'], 'https://vault.azure.net');
    assert.equal(result.claims!['xms_mirid'], vm.id);
    assert.ok(result.expiresOnTimestamp! - Date.now() > 23 * 3600_000, 'the SDK sees the ~24 h expiry from expires_on');
  });

  it('DefaultAzureCredential gets the same token (AZURE_TOKEN_CREDENTIALS pins it to managed identity)', async () => {
    const env = await labEnv(stateDir, 'vm-web');
    assert.equal(env['AZURE_TOKEN_CREDENTIALS'], 'ManagedIdentityCredential');
    const result = await runApp('getToken.mjs', env, { credential: 'default', scope: 'https://management.azure.com/.default' });
    assert.ok(result.ok, result.message);
    assert.equal(result.claims!['oid'], vm.identity!.systemAssigned!.principalId);
    assert.equal(result.claims!['aud'], 'https://management.azure.com');
  });

  for (const by of ['clientId', 'resourceId', 'objectId'] as const) {
    it(`selects a user-assigned identity by ${by}`, async () => {
      const value = by === 'clientId' ? idA.managedIdentity!.clientId : by === 'objectId' ? idA.managedIdentity!.principalId : idA.id;
      const result = await runApp('getToken.mjs', await labEnv(stateDir, 'vm-web'), { credential: 'managed', [by]: value });
      assert.ok(result.ok, result.message);
      assert.equal(result.claims!['oid'], idA.managedIdentity!.principalId);
      assert.equal(result.claims!['xms_mirid'], idA.id);
      assert.equal(result.claims!['xms_az_rid'], vm.id);
    });
  }

  it('DefaultAzureCredential picks a user-assigned identity from AZURE_CLIENT_ID (milab env --identity)', async () => {
    const env = await labEnv(stateDir, 'vm-web', idA.id);
    assert.equal(env['AZURE_CLIENT_ID'], idA.managedIdentity!.clientId);
    const result = await runApp('getToken.mjs', env, { credential: 'default' });
    assert.ok(result.ok, result.message);
    assert.equal(result.claims!['oid'], idA.managedIdentity!.principalId);
  });

  it('gets tokens through the App Service route (IDENTITY_ENDPOINT + IDENTITY_HEADER)', async () => {
    const env = await labEnv(stateDir, 'web-orders');
    assert.ok(env['IDENTITY_ENDPOINT'] && env['IDENTITY_HEADER']);
    const system = await runApp('getToken.mjs', env, { credential: 'default' });
    assert.ok(system.ok, system.message);
    assert.equal(system.claims!['xms_mirid'], host.lab.arm.resources.find(r => r.name === 'web-orders')!.id);
    const user = await runApp('getToken.mjs', env, { credential: 'managed', clientId: idB.managedIdentity!.clientId });
    assert.ok(user.ok, user.message);
    assert.equal(user.claims!['oid'], idB.managedIdentity!.principalId);
  });

  it('a wrong IDENTITY_HEADER is refused', async () => {
    const env = { ...(await labEnv(stateDir, 'web-orders')), IDENTITY_HEADER: 'not-the-secret' };
    const result = await runApp('getToken.mjs', env, { credential: 'managed' });
    assert.equal(result.ok, false);
    assert.equal(result.name, 'CredentialUnavailableError');
    assert.match(result.message!, /Description: Unauthorized\. The X-IDENTITY-HEADER is missing or does not match IDENTITY_HEADER\./);
  });

  it('no identity: the SDK says "Identity not found", as against Azure', async () => {
    const result = await runApp('getToken.mjs', await labEnv(stateDir, 'vm-no-id'), { credential: 'managed' });
    assert.equal(result.ok, false);
    assert.equal(result.name, 'CredentialUnavailableError');
    assert.equal(
      result.message,
      'ManagedIdentityCredential: Authentication failed. Message invalid_request: Error(s): Not Available - Timestamp: Not Available - Description: Identity not found - Correlation ID: Not Available - Trace ID: Not Available',
    );
  });

  it('an unattached client id: "Identity not found"', async () => {
    const result = await runApp('getToken.mjs', await labEnv(stateDir, 'vm-web'), {
      credential: 'managed',
      clientId: idB.managedIdentity!.clientId,
    });
    assert.equal(result.ok, false);
    assert.equal(result.name, 'CredentialUnavailableError');
    assert.match(result.message!, /Description: Identity not found/);
  });

  it('several user-assigned identities and none chosen: Azure’s "Multiple user assigned identities exist…"', async () => {
    const result = await runApp('getToken.mjs', await labEnv(stateDir, 'vm-two-ids'), { credential: 'managed' });
    assert.equal(result.ok, false);
    assert.equal(result.name, 'CredentialUnavailableError');
    assert.match(
      result.message!,
      /Description: Multiple user assigned identities exist, please specify the clientId \/ resourceId of the identity in the token request/,
    );
  });

  it('throttled: over 5 concurrent requests IMDS answers 429 and the SDK reports it', async () => {
    const target = host.lab.arm.resources.find(r => r.name === 'vm-throttled')!;
    setHostFaults(host.lab, target.id, { latencyMs: 1500 });
    const env = await labEnv(stateDir, 'vm-throttled');
    const results = await Promise.all(Array.from({ length: 8 }, () => runApp('getToken.mjs', env, { credential: 'managed' })));
    setHostFaults(host.lab, target.id, { latencyMs: 0 });
    const throttled = results.filter(r => !r.ok);
    assert.ok(
      results.some(r => r.ok),
      'the first requests get through',
    );
    assert.ok(throttled.length >= 1, `expected some 429s: ${JSON.stringify(results.map(r => r.ok))}`);
    for (const r of throttled) {
      assert.equal(r.name, 'CredentialUnavailableError');
      assert.match(r.message!, /too_many_requests|IMDS Throttle limit reached/);
    }
  });

  it('endpoint down: the SDK reports a network failure, not a token', async () => {
    const env = { ...(await labEnv(stateDir, 'vm-web')), AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:1' };
    const result = await runApp('getToken.mjs', env, { credential: 'managed' });
    assert.equal(result.ok, false);
    assert.equal(result.name, 'CredentialUnavailableError');
    assert.match(result.message!, /ManagedIdentityCredential/);
    assert.match(result.message!, /ECONNREFUSED|Network|network|unreachable/);
  });

  it("the seeds' curl example works when pointed at the VM's own IMDS path (as written, under milab run: test/clients)", async () => {
    const run = promisify(execFile);
    const url = `${host.server.imdsAuthorityHost(vm.id)}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net`;
    const { stdout } = await run('curl', ['-s', url, '-H', 'Metadata: true']);
    const body = JSON.parse(stdout) as Record<string, string>;
    assert.equal(body['token_type'], 'Bearer');
    assert.equal(body['resource'], 'https://vault.azure.net');
    assert.match(body['access_token']!, /^eyJ/);
  });
});

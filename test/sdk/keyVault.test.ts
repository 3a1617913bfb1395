// The real @azure/keyvault-secrets SecretClient with DefaultAzureCredential (environment from
// `milab env`) against the lab's Key Vault: 403 ForbiddenByRbac until a role is assigned,
// success after; writes need a stronger role; a wrong audience fails as on Azure.
import { mutable } from '../../src/engine/lab/mutable';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { labEnv, runApp, startLab } from './harness';
import type { LabHost } from '../../src/host/labHost';
import { LAB_CALLER } from '../../src/engine/lab/authorization';
import { createRoleAssignment, deleteRoleAssignment } from '../../src/engine/operations/roleAssignments';
import { createOrUpdateResource } from '../../src/engine/operations/resources';
import { resourceGroupId } from '../../src/engine/azure/resourceId';

interface SecretResult {
  ok: boolean;
  value?: string;
  name?: string;
  statusCode?: number;
  code?: string;
  innerCode?: string;
  message?: string;
}

describe('sdk: @azure/keyvault-secrets against the lab’s Key Vault', function () {
  this.timeout(120_000);
  let host: LabHost;
  let stateDir: string;
  let vaultUrl: string;
  let vmPrincipal: string;
  let vaultId: string;
  const SECRET_VALUE = 'P@ssw0rd-from-the-lab';

  before(async () => {
    ({ host, stateDir } = await startLab());
    const lab = host.lab;
    const vault = lab.arm.resources.find(r => r.name === 'kv-lab')!;
    vaultId = vault.id;
    vaultUrl = lab.serviceUrls.vault(vault.name);
    vmPrincipal = lab.arm.resources.find(r => r.name === 'vm-web')!.identity!.systemAssigned!.principalId;
  });
  after(() => host.close());

  const read = async (name = 'db-password', extra: Record<string, unknown> = {}) =>
    (await runApp('readSecret.mjs', await labEnv(stateDir, 'vm-web'), { vaultUrl, name, ...extra })) as SecretResult;

  it('reports the vault URL ARM reports (properties.vaultUri) on the lab’s HTTPS endpoint', () => {
    assert.match(vaultUrl, /^https:\/\/kv-lab\.vault\.azure\.net:\d+\/$/);
  });

  it('getSecret fails with RestError 403 Forbidden / ForbiddenByRbac before a role is assigned', async () => {
    const result = await read();
    assert.equal(result.ok, false);
    assert.equal(result.name, 'RestError');
    assert.equal(result.statusCode, 403);
    assert.equal(result.code, 'Forbidden');
    assert.equal(result.innerCode, 'ForbiddenByRbac');
    assert.match(result.message!, /^Caller is not authorized to perform action on resource\.\r\n/);
    assert.match(result.message!, /Action: 'Microsoft\.KeyVault\/vaults\/secrets\/getSecret\/action'/);
    assert.match(result.message!, /DecisionReason: 'DeniedWithNoValidRBAC'/);
  });

  it('draws the whole dance as one trace: challenge, token, retry, decision — without the secret', async () => {
    const before = host.lab.traces.size;
    await read();
    await new Promise(r => setTimeout(r, 100));
    const trace = host.lab.traces.all.slice(before).find(t => t.participants.some(p => p.kind === 'keyvault'))!;
    assert.ok(trace, 'a Key Vault trace');
    assert.deepEqual(
      trace.participants.map(p => p.kind),
      ['app', 'keyvault', 'imds'],
    );
    assert.equal(trace.participants[0]!.label, 'App on vm-web');
    const statuses = trace.messages.filter(m => m.kind === 'response').map(m => m.status);
    assert.deepEqual(statuses, [401, 200, 403], 'challenge, token (from the IMDS cache), then the authorization decision');
    assert.equal(trace.outcome, 'failure');
    assert.equal(trace.errorCode, 'ForbiddenByRbac');
    assert.ok(trace.messages.some(m => m.authorization && !m.authorization.allowed));
  });

  it('succeeds after "Key Vault Secrets User" is assigned at the vault', async () => {
    const assignment = createRoleAssignment(host.lab, LAB_CALLER, {
      scope: vaultId,
      role: 'Key Vault Secrets User',
      principalId: vmPrincipal,
    });
    const result = await read();
    deleteRoleAssignment(host.lab, LAB_CALLER, assignment.name);
    assert.ok(result.ok, result.message);
    assert.equal(result.value, SECRET_VALUE);
    assert.ok(!JSON.stringify(host.lab.traces.all).includes(SECRET_VALUE), 'secret values never appear in traces');
  });

  it('succeeds when the role is assigned at the resource group instead (inherited)', async () => {
    const assignment = createRoleAssignment(host.lab, LAB_CALLER, {
      scope: resourceGroupId(host.lab.defaultSubscriptionId, 'rg-lab'),
      role: 'Key Vault Secrets User',
      principalId: vmPrincipal,
    });
    const result = await read();
    deleteRoleAssignment(host.lab, LAB_CALLER, assignment.name);
    assert.ok(result.ok, result.message);
    assert.equal(result.value, SECRET_VALUE);
  });

  it('setSecret needs "Key Vault Secrets Officer": Secrets User is not enough', async () => {
    const user = createRoleAssignment(host.lab, LAB_CALLER, { scope: vaultId, role: 'Key Vault Secrets User', principalId: vmPrincipal });
    const denied = await read('api-key', { value: 'new-value' });
    assert.equal(denied.ok, false);
    assert.equal(denied.statusCode, 403);
    assert.match(denied.message!, /setSecret\/action/);
    const officer = createRoleAssignment(host.lab, LAB_CALLER, {
      scope: vaultId,
      role: 'Key Vault Secrets Officer',
      principalId: vmPrincipal,
    });
    const written = await read('api-key', { value: 'new-value' });
    assert.ok(written.ok, written.message);
    const readBack = await read('api-key');
    assert.equal(readBack.value, 'new-value');
    deleteRoleAssignment(host.lab, LAB_CALLER, user.name);
    deleteRoleAssignment(host.lab, LAB_CALLER, officer.name);
  });

  it('a token for the wrong audience fails as on Azure: 401 AKV10022', async () => {
    const result = await read('db-password', { audience: 'https://management.azure.com' });
    assert.equal(result.ok, false);
    assert.equal(result.statusCode, 401);
    assert.match(
      result.message!,
      /AKV10022: Invalid audience\. Expected https:\/\/vault\.azure\.net, found: https:\/\/management\.azure\.com\./,
    );
  });

  it('with enableRbacAuthorization off, access policies decide and role assignments are ignored', async () => {
    const vault = host.lab.arm.resource(vaultId)!;
    const other = createOrUpdateResource(host.lab, LAB_CALLER, {
      resourceGroup: 'rg-lab',
      type: 'keyvault',
      name: 'kv-policies',
      properties: { enableRbacAuthorization: false, accessPolicies: [] },
    });
    host.lab.dataFor(other.id).secrets = host.lab.dataFor(vault.id).secrets;
    const url = host.lab.serviceUrls.vault('kv-policies');
    createRoleAssignment(host.lab, LAB_CALLER, { scope: other.id, role: 'Key Vault Secrets User', principalId: vmPrincipal });
    const denied = (await runApp('readSecret.mjs', await labEnv(stateDir, 'vm-web'), {
      vaultUrl: url,
      name: 'db-password',
    })) as SecretResult;
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.innerCode, 'AccessDenied');
    assert.match(denied.message!, /does not have secrets get permission on key vault 'kv-policies;location=eastus'/);
    mutable(host.lab).arm.resource(other.id)!.properties['accessPolicies'] = [
      { tenantId: host.lab.tenantId, objectId: vmPrincipal, permissions: { secrets: ['get', 'list'] } },
    ];
    const allowed = (await runApp('readSecret.mjs', await labEnv(stateDir, 'vm-web'), {
      vaultUrl: url,
      name: 'db-password',
    })) as SecretResult;
    assert.ok(allowed.ok, allowed.message);
  });

  it("the seeds' curl pair (IMDS token, then Key Vault) works when pointed at the lab's loopback endpoints", async () => {
    // As written (169.254.169.254, the vault's name on 443) it runs under milab run: test/clients/run.test.ts.
    const run = promisify(execFile);
    const vm = host.lab.arm.resources.find(r => r.name === 'vm-web')!;
    const token = JSON.parse(
      (
        await run('curl', [
          '-s',
          `${host.server.imdsAuthorityHost(vm.id)}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net`,
          '-H',
          'Metadata: true',
        ])
      ).stdout,
    ).access_token as string;
    const port = new URL(vaultUrl).port;
    const { stdout } = await run('curl', [
      '-s',
      '--cacert',
      path.join(stateDir, 'ca.pem'),
      '--resolve',
      `kv-lab.vault.azure.net:${port}:127.0.0.1`,
      `${vaultUrl}secrets/db-password?api-version=7.4`,
      '-H',
      `Authorization: Bearer ${token}`,
    ]);
    const body = JSON.parse(stdout) as { error?: { code: string; innererror?: { code: string } } };
    assert.equal(body.error?.innererror?.code, 'ForbiddenByRbac', 'no role yet: the same 403 the SDK gets');
  });
});

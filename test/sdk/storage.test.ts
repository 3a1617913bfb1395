// The real @azure/storage-blob over the lab's HTTPS: AuthorizationPermissionMismatch before
// "Storage Blob Data Reader", success after; writes need "Storage Blob Data Contributor".
import * as assert from 'node:assert/strict';
import { labEnv, runApp, startLab } from './harness';
import type { LabHost } from '../../src/host/labHost';
import { LAB_CALLER } from '../../src/engine/lab/authorization';
import { createRoleAssignment } from '../../src/engine/operations/roleAssignments';
import { createOrUpdateResource } from '../../src/engine/operations/resources';
import { resourceJson } from '../../src/engine/readModels/armJson';
import { createContainer, putBlob } from '../../src/engine/services/blobStorage';
import { learnerCaller } from '../../src/engine/services/dataCaller';

interface BlobResult {
  ok: boolean;
  content?: string;
  names?: string[];
  name?: string;
  statusCode?: number;
  code?: string;
  message?: string;
}

describe('sdk: @azure/storage-blob against the lab’s Blob Storage', function () {
  this.timeout(120_000);
  let host: LabHost;
  let stateDir: string;
  let accountUrl: string;
  let accountId: string;
  let vmPrincipal: string;

  before(async () => {
    ({ host, stateDir } = await startLab());
    const lab = host.lab;
    const account = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: 'rg-lab', type: 'storage', name: 'stlabdata' });
    accountId = account.id;
    const view = resourceJson(lab, account) as { properties: { primaryEndpoints: { blob: string } } };
    accountUrl = view.properties.primaryEndpoints.blob;
    // The learner (subscription Owner) cannot write blobs either until given a data role.
    createRoleAssignment(lab, LAB_CALLER, { scope: account.id, role: 'Storage Blob Data Owner', principalId: lab.directory.user.objectId });
    createContainer(lab, learnerCaller(lab), account.id, 'reports');
    putBlob(lab, learnerCaller(lab), account.id, 'reports', 'q1.txt', new TextEncoder().encode('quarterly numbers'), 'text/plain');
    vmPrincipal = lab.arm.resources.find(r => r.name === 'vm-web')!.identity!.systemAssigned!.principalId;
  });
  after(() => host.close());

  const run = async (args: Record<string, unknown>) =>
    (await runApp('blobs.mjs', await labEnv(stateDir, 'vm-web'), {
      accountUrl,
      container: 'reports',
      blob: 'q1.txt',
      ...args,
    })) as BlobResult;

  it('reports the account’s blob endpoint as ARM does (primaryEndpoints.blob)', () => {
    assert.match(accountUrl, /^https:\/\/stlabdata\.blob\.core\.windows\.net:\d+\/$/);
  });

  it('reading fails with 403 AuthorizationPermissionMismatch before "Storage Blob Data Reader"', async () => {
    const result = await run({});
    assert.equal(result.ok, false);
    assert.equal(result.name, 'RestError');
    assert.equal(result.statusCode, 403);
    assert.equal(result.code, 'AuthorizationPermissionMismatch');
  });

  it('reads and lists after "Storage Blob Data Reader", but cannot write', async () => {
    createRoleAssignment(host.lab, LAB_CALLER, { scope: accountId, role: 'Storage Blob Data Reader', principalId: vmPrincipal });
    const read = await run({});
    assert.ok(read.ok, read.message);
    assert.equal(read.content, 'quarterly numbers');
    assert.deepEqual(read.names, ['q1.txt']);
    const write = await run({ blob: 'q2.txt', upload: 'more numbers' });
    assert.equal(write.statusCode, 403);
    assert.equal(write.code, 'AuthorizationPermissionMismatch');
  });

  it('writes after "Storage Blob Data Contributor"', async () => {
    createRoleAssignment(host.lab, LAB_CALLER, { scope: accountId, role: 'Storage Blob Data Contributor', principalId: vmPrincipal });
    const write = await run({ blob: 'q2.txt', upload: 'more numbers' });
    assert.ok(write.ok, write.message);
    const read = await run({ blob: 'q2.txt' });
    assert.equal(read.content, 'more numbers');
    assert.deepEqual(read.names, ['q1.txt', 'q2.txt']);
  });
});

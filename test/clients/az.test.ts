// The real Azure CLI (Debian's azure-cli 2.45) judges the lab under `milab run`: `az login
// --identity` as a VM (IMDS), as a user-assigned identity and as a web app (App Service's
// 2017-09-01 protocol, which this CLI uses), `az login --service-principal`, and the commands
// after it — against management.azure.com and login.microsoftonline.com, which are the lab here.
// Each run starts with a fresh az profile, as a new VM would. Debian's 2.45 build fails on its own
// in some commands after the server answered (`az keyvault secret …` cannot load
// azure.keyvault.v7_0; `az role assignment list` and `az role definition list` raise
// "'RoleDefinitionsOperations' object has no attribute 'config'"), so those are not used here.
import * as assert from 'node:assert/strict';
import { az, labAz, requireClients, startLab } from './harness';
import type { LabHost } from '../../src/host/labHost';
import { furnishClientLab } from './clientLab';
import { LAB_CALLER } from '../../src/engine/lab/authorization';
import { createRoleAssignment } from '../../src/engine/operations/roleAssignments';
import { resourceGroupId } from '../../src/engine/azure/resourceId';
import type { ReadonlyResource } from '../../src/engine/state/labState';

const json = (text: string): any => JSON.parse(text);

describe('clients: the Azure CLI under milab run', function () {
  let host: LabHost;
  let stateDir: string;
  let vm: ReadonlyResource;
  let uami: ReadonlyResource;
  let web: ReadonlyResource;
  let account: ReadonlyResource;
  let group: string;

  before(async () => {
    requireClients();
    ({ host, stateDir } = await startLab());
    const lab = host.lab;
    ({ vm, uami, account, web } = furnishClientLab(lab, {
      identity: 'id-reports',
      account: 'stlabreports',
      container: 'reports',
      blob: 'q1.txt',
      blobText: 'numbers',
      webUsesIdentity: false,
    }));
    group = resourceGroupId(lab.defaultSubscriptionId, 'rg-lab');
    await host.save();
  });
  after(() => host?.close());

  it('az login --identity with no role: "No access was configured for the VM, hence no subscriptions were found"', async () => {
    const ran = await az(stateDir, 'vm-web', 'az login --identity -o json');
    assert.equal(ran.status, 1, ran.stdout);
    assert.match(ran.stderr, /No access was configured for the VM, hence no subscriptions were found\./);
  });

  it('az login --identity on the VM (IMDS), then az group list, az resource list and blobs: 403, then the list', async () => {
    const principalId = vm.identity!.systemAssigned!.principalId;
    createRoleAssignment(host.lab, LAB_CALLER, { scope: group, role: 'Reader', principalId });
    await host.save();
    const script = [
      'az login --identity -o json > login.json || exit 10',
      'cat login.json',
      'echo ===',
      'az group list -o json || exit 11',
      'echo ===',
      'az resource list -o json || exit 12',
      'echo ===',
      'az storage blob list --account-name stlabreports -c reports --auth-mode login -o json 2>&1; echo "blob exit $?"',
    ].join('\n');
    const ran = await az(stateDir, 'vm-web', `cd "$AZURE_CONFIG_DIR" && ${script}`);
    assert.equal(ran.status, 0, ran.stderr);
    const [login, groups, resources, blobs] = ran.stdout.split('===\n');
    assert.deepEqual(json(login!)[0].user, { assignedIdentityInfo: 'MSI', name: 'systemAssignedIdentity', type: 'servicePrincipal' });
    assert.equal(json(login!)[0].id, host.lab.defaultSubscriptionId);
    assert.deepEqual(
      json(groups!).map((g: { name: string }) => g.name),
      ['rg-lab'],
      'Reader on rg-lab lists rg-lab, not AuthorizationFailed at subscription scope, and not rg-web',
    );
    assert.deepEqual(
      json(resources!)
        .map((r: { name: string }) => r.name)
        .sort(),
      ['id-reports', 'kv-lab', 'stlabreports', 'vm-web'],
    );
    // az's own words for Storage's 403 AuthorizationPermissionMismatch with --auth-mode login.
    assert.match(blobs!, /You do not have the required permissions needed to perform this operation/);
    assert.match(blobs!, /blob exit 1/);

    createRoleAssignment(host.lab, LAB_CALLER, { scope: account.id, role: 'Storage Blob Data Reader', principalId });
    await host.save();
    const listed = await az(
      stateDir,
      'vm-web',
      'az login --identity -o none && az storage blob list --account-name stlabreports -c reports --auth-mode login --query "[].name" -o json',
    );
    assert.equal(listed.status, 0, listed.stderr);
    assert.deepEqual(json(listed.stdout), ['q1.txt']);
  });

  it('az login --identity --username CLIENT_ID: the user-assigned identity, whose own role is what counts', async () => {
    const denied = await az(stateDir, 'vm-web', `az login --identity --username ${uami.managedIdentity!.clientId} -o json`);
    assert.equal(denied.status, 1);
    assert.match(denied.stderr, /No access was configured for the VM/, 'the VM’s Reader role is not the user-assigned identity’s');
    createRoleAssignment(host.lab, LAB_CALLER, { scope: group, role: 'Reader', principalId: uami.managedIdentity!.principalId });
    await host.save();
    const ran = await az(
      stateDir,
      'vm-web',
      `az login --identity --username ${uami.managedIdentity!.clientId} --query "[0].user" -o json && az account get-access-token --query accessToken -o tsv`,
    );
    assert.equal(ran.status, 0, ran.stderr);
    const [user, token] = ran.stdout.split('}\n');
    assert.deepEqual(json(`${user}}`), {
      assignedIdentityInfo: `MSIClient-${uami.managedIdentity!.clientId}`,
      name: 'userAssignedIdentity',
      type: 'servicePrincipal',
    });
    const claims = json(Buffer.from(token!.trim().split('.')[1]!, 'base64url').toString('utf8'));
    assert.equal(claims.oid, uami.managedIdentity!.principalId);
  });

  it('az login --identity on a web app: App Service’s 2017-09-01 protocol (MSI_ENDPOINT, MSI_SECRET), as that app', async () => {
    createRoleAssignment(host.lab, LAB_CALLER, {
      scope: resourceGroupId(host.lab.defaultSubscriptionId, 'rg-web'),
      role: 'Reader',
      principalId: web.identity!.systemAssigned!.principalId,
    });
    await host.save();
    const before = host.lab.traces.all.length;
    const ran = await az(stateDir, 'web-orders', 'az login --identity -o none && az group list --query "[].name" -o json');
    assert.equal(ran.status, 0, ran.stderr);
    assert.deepEqual(json(ran.stdout), ['rg-web']);
    const tokenRequests = host.lab.traces.all
      .slice(before)
      .flatMap(t => t.messages)
      .filter(m => m.http?.url.includes('api-version=2017-09-01'));
    assert.ok(tokenRequests.length > 0, 'the CLI asked with api-version 2017-09-01');
  });

  it('az login --service-principal after az ad sp create-for-rbac --role Reader --scopes, then the group; a wrong secret is AADSTS7000215', async () => {
    const created = json(await labAz(host, 'ad', 'sp', 'create-for-rbac', '-n', 'reports-job', '--role', 'Reader', '--scopes', group));
    const ran = await az(
      stateDir,
      'vm-web',
      // az's own advice for a secret that may start with '-': --password=SECRET.
      `az login --service-principal -u ${created.appId} --password='${created.password}' --tenant ${created.tenant} --query "[0].user" -o json && az group list --query "[].name" -o json`,
    );
    assert.equal(ran.status, 0, ran.stderr);
    const [user, groups] = ran.stdout.split('}\n');
    assert.deepEqual(json(`${user}}`), { name: created.appId, type: 'servicePrincipal' });
    assert.deepEqual(json(groups!), ['rg-lab']);
    const wrong = await az(
      stateDir,
      'vm-web',
      `az login --service-principal -u ${created.appId} --password=wrong-secret --tenant ${created.tenant}`,
    );
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /AADSTS7000215/);
  });

  it('az cloud register with the lab’s own address: /metadata/endpoints, then MSAL’s instance discovery for that authority', async () => {
    const created = json(await labAz(host, 'ad', 'sp', 'create-for-rbac', '-n', 'cloud-job', '--role', 'Reader', '--scopes', group));
    const script = [
      // Inside the run, the lab also answers at 127.0.0.1:443: an authority MSAL does not know, so it asks login.microsoftonline.com.
      'az cloud register -n LabLocal --endpoint-resource-manager https://127.0.0.1:443/ --suffix-keyvault-dns .vault.azure.net -o none || exit 10',
      'az cloud set -n LabLocal || exit 11',
      'az cloud show --query "endpoints.activeDirectory" -o tsv',
      `az login --service-principal -u ${created.appId} --password='${created.password}' --tenant ${created.tenant} -o none || exit 12`,
      'az group list --query "[].name" -o tsv',
    ].join('\n');
    const ran = await az(stateDir, 'vm-web', script);
    assert.equal(ran.status, 0, ran.stderr);
    assert.deepEqual(ran.stdout.trim().split('\n'), ['https://127.0.0.1/', 'rg-lab']);
  });
});

// Every `az` twin the UI shows must do, run unchanged in the lab, what the UI action does —
// and be a correctly quoted bash line (bash itself splits it into the same words).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { Lab } from '../../../src/engine/lab/lab';
import { shellWords } from '../../../src/az';
import * as twin from '../../../src/az/twin';
import { az, emptyLab } from './helpers';

/** How bash splits a line into words (no expansion happens: the twins contain no variables). */
function bashWords(line: string): string[] {
  const result = spawnSync('bash', ['-c', `words() { printf '%s\\0' "$@"; }; words ${line.replace(/^az /, '')}`], {
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  return ['az', ...result.stdout.split('\0').slice(0, -1)];
}

async function runTwin(lab: Lab, line: string): Promise<void> {
  assert.deepEqual(await shellWords(line, { variables: new Map() }), bashWords(line), `quoting of: ${line}`);
  const result = await az(lab, line);
  assert.equal(result.exitCode, 0, `${line}\n${result.stderr}`);
}

const find = (lab: Lab, name: string) => lab.arm.resources.find(r => r.name === name)!;

describe('az twins: the command line for each UI action runs unchanged', () => {
  it('creates, changes and deletes what the UI does', async () => {
    const lab = await emptyLab();
    const sub = lab.defaultSubscriptionId;
    await runTwin(lab, twin.createResourceGroupTwin('rg(twin)', 'westeurope'));
    assert.ok(lab.arm.group(sub, 'rg(twin)'), 'a name with parentheses is quoted');
    await runTwin(lab, twin.createUserAssignedIdentityTwin({ resourceGroup: 'rg(twin)', name: 'shared-id' }));
    await runTwin(lab, twin.createVmTwin({ resourceGroup: 'rg(twin)', name: 'vm-plain' }));
    assert.equal(find(lab, 'vm-plain').identity, undefined);
    await runTwin(lab, twin.createVmTwin({ resourceGroup: 'rg(twin)', name: 'vm-system', assignIdentity: true }));
    assert.ok(find(lab, 'vm-system').identity?.systemAssigned);
    await runTwin(
      lab,
      twin.createVmTwin({
        resourceGroup: 'rg(twin)',
        name: 'vm-both',
        assignIdentity: ['[system]', find(lab, 'shared-id').id],
        size: 'Standard_B2s',
      }),
    );
    assert.equal(find(lab, 'vm-both').identity?.userAssigned.length, 1);
    await runTwin(lab, twin.createAppServicePlanTwin({ resourceGroup: 'rg(twin)', name: 'plan' }));
    await runTwin(lab, twin.createWebAppTwin({ resourceGroup: 'rg(twin)', name: 'twin-web-app', plan: 'plan' }));
    await runTwin(lab, twin.createStorageAccountTwin({ resourceGroup: 'rg(twin)', name: 'twinstore' }));
    await runTwin(
      lab,
      twin.createFunctionAppTwin({ resourceGroup: 'rg(twin)', name: 'twin-func-app', storageAccount: 'twinstore', assignIdentity: true }),
    );
    assert.ok(find(lab, 'twin-func-app').identity?.systemAssigned);
    await runTwin(lab, twin.createKeyVaultTwin({ resourceGroup: 'rg(twin)', name: 'twin-vault' }));

    const web = find(lab, 'twin-web-app');
    await runTwin(lab, twin.enableSystemAssignedTwin(web.id, web.kind));
    assert.ok(find(lab, 'twin-web-app').identity?.systemAssigned);
    await runTwin(lab, twin.attachUserAssignedTwin(web.id, [find(lab, 'shared-id').id], web.kind));
    assert.equal(find(lab, 'twin-web-app').identity?.userAssigned.length, 1);
    await runTwin(lab, twin.detachUserAssignedTwin(web.id, [find(lab, 'shared-id').id], web.kind));
    assert.equal(find(lab, 'twin-web-app').identity?.userAssigned.length ?? 0, 0);
    await runTwin(lab, twin.disableSystemAssignedTwin(web.id, web.kind));
    assert.equal(find(lab, 'twin-web-app').identity, undefined);
    const vm = find(lab, 'vm-plain');
    await runTwin(lab, twin.enableSystemAssignedTwin(vm.id));
    await runTwin(lab, twin.disableSystemAssignedTwin(vm.id));
    assert.equal(find(lab, 'vm-plain').identity, undefined);

    const principalId = find(lab, 'vm-system').identity!.systemAssigned!.principalId;
    const vault = find(lab, 'twin-vault');
    await runTwin(
      lab,
      twin.createRoleAssignmentTwin({ principalId, principalType: 'ServicePrincipal', role: 'Key Vault Secrets User', scope: vault.id }),
    );
    const assignment = lab.assignments.forPrincipal(principalId)[0]!.state;
    assert.equal(assignment.scope, vault.id);
    await runTwin(
      lab,
      twin.createRoleAssignmentTwin({
        principalId: lab.directory.user.objectId,
        principalType: 'User',
        role: 'Key Vault Secrets Officer',
        scope: vault.id,
      }),
    );
    await runTwin(lab, twin.setSecretTwin('twin-vault', 'conn-string', "Server=db; Password='it''s $ecret'!"));
    await runTwin(lab, twin.showSecretTwin('twin-vault', 'conn-string'));
    const shown = await az(lab, `${twin.showSecretTwin('twin-vault', 'conn-string')} --query value -o tsv`);
    assert.equal(shown.stdout, "Server=db; Password='it''s $ecret'!\n", 'the value survives quoting exactly');
    await runTwin(lab, twin.deleteRoleAssignmentTwin(assignment));
    assert.equal(lab.assignments.forPrincipal(principalId).length, 0);
    await runTwin(lab, twin.requestTokenTwin('https://vault.azure.net'));

    for (const name of ['vm-both', 'twin-func-app', 'twin-web-app', 'shared-id', 'twin-vault', 'twinstore']) {
      const r = find(lab, name);
      await runTwin(lab, twin.deleteResourceTwin(r.id, r.kind));
      assert.equal(lab.arm.resource(r.id), undefined, `${name} deleted`);
    }
    await runTwin(lab, twin.deleteResourceGroupTwin('rg(twin)'));
    assert.equal(lab.arm.group(sub, 'rg(twin)'), undefined);
  });

  it('quotes a value that starts with a dash like any other: --value -$(id) is data', () => {
    const line = twin.setSecretTwin('kv', 'name', '-$(id)');
    assert.equal(line, `az keyvault secret set --vault-name kv --name name --value '-$(id)'`);
    assert.deepEqual(bashWords(line), ['az', 'keyvault', 'secret', 'set', '--vault-name', 'kv', '--name', 'name', '--value', '-$(id)']);
  });

  it('prefers --assignee-object-id with the principal type, and names the role', () => {
    const line = twin.createRoleAssignmentTwin({
      principalId: '11111111-2222-3333-4444-555555555555',
      principalType: 'ServicePrincipal',
      role: 'Key Vault Secrets User',
      scope: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg',
    });
    assert.equal(
      line,
      'az role assignment create --assignee-object-id 11111111-2222-3333-4444-555555555555 --assignee-principal-type ServicePrincipal --role "Key Vault Secrets User" --scope /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg',
    );
    assert.equal(
      twin.disableSystemAssignedTwin(
        '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1',
      ),
      // Quoted: a bare [system] is a bash glob, matching a file named s, y, t, e or m in the current folder.
      'az vm identity remove --resource-group rg --name vm1 --identities "[system]"',
    );
    assert.equal(
      twin.enableSystemAssignedTwin(
        '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Web/sites/fn',
        'functionapp',
      ),
      'az functionapp identity assign --resource-group rg --name fn',
    );
    assert.equal(
      twin.enableSystemAssignedTwin(
        '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/ss',
      ),
      'az vmss identity assign --resource-group rg --name ss',
    );
    assert.throws(
      () =>
        twin.enableSystemAssignedTwin(
          '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv',
        ),
      /no identity commands/,
    );
  });
});

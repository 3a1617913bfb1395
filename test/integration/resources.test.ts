// Resources: create (with a new group, validated), the tree that results, delete with what it
// does to identities, undo, reset, the az twins and the az script export — driven with arguments.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateLab, ok, resetLab, run, snapshot } from './helpers';
import type { CreatedResource } from '../../src/extension/commands/createResource';
import type { DeletionReport } from '../../src/engine/operations/resources';
import type { ResourceNode } from '../../src/extension/views/nodes';
import {
  createAppServicePlanTwin,
  createWebAppTwin,
  createResourceGroupTwin,
  createVmTwin,
  createKeyVaultTwin,
  deleteResourceTwin,
  enableSystemAssignedTwin,
} from '../../src/az/twin';
import type { LabExtensionApi } from '../../src/extension/api';

async function findNode(api: LabExtensionApi, path: string[]): Promise<ResourceNode> {
  const tree = api.resourcesTree;
  let nodes = await tree.getChildren();
  let found: ResourceNode | undefined;
  for (const label of path) {
    found = nodes.find(n => String(tree.getTreeItem(n).label) === label);
    assert.ok(found, `tree has ${path.join(' → ')} (at ${label}: ${nodes.map(n => String(tree.getTreeItem(n).label)).join(', ')})`);
    nodes = await tree.getChildren(found);
  }
  return found!;
}

describe('resources: commands and the Resources view', () => {
  before(resetLab);

  it("puts a Consumption function app on the plan az names ('West Europe' → WestEuropePlan), as its az twin does", async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const sub = lab.defaultSubscriptionId;
    await ok('createResource', { type: 'storage', resourceGroup: 'rg-functions', name: 'stplanid1', createGroup: true });
    const { value } = await ok<CreatedResource>('createResource', {
      type: 'functionapp',
      resourceGroup: 'rg-functions',
      name: 'func-plan-id',
      storageAccount: 'stplanid1',
      location: 'West Europe',
    });
    assert.equal(
      lab.arm.resource(value.id)!.properties['serverFarmId'],
      `/subscriptions/${sub}/resourceGroups/rg-functions/providers/Microsoft.Web/serverfarms/WestEuropePlan`,
    );
    await ok('deleteResource', { id: `/subscriptions/${sub}/resourceGroups/rg-functions`, skipConfirmation: true });
  });

  it('creates a VM in a new resource group, shows it in the tree with its type icon, and offers the az twin', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const { value, az, message } = await ok<CreatedResource>('createResource', {
      type: 'vm',
      resourceGroup: 'rg-app',
      name: 'vm-app',
      createGroup: true,
      location: 'westeurope',
    });
    const vm = lab.arm.resource(value.id)!;
    assert.equal(vm.name, 'vm-app');
    assert.equal(vm.location, 'westeurope');
    assert.equal(vm.identity, undefined);
    assert.equal(
      az,
      [
        createResourceGroupTwin('rg-app', 'westeurope'),
        createVmTwin({ resourceGroup: 'rg-app', name: 'vm-app', location: 'westeurope' }),
      ].join('\n'),
    );
    assert.match(message, /Created Virtual Machine vm-app in rg-app/);

    const node = await findNode(api, ['Lab Subscription', 'rg-app', 'vm-app']);
    const item = api.resourcesTree.getTreeItem(node);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'vm');
    assert.match(String(item.contextValue), /\btokenHost\b/);
    assert.match(String(item.contextValue), /\bsystemIdentityOff\b/);
    const [identity] = await api.resourcesTree.getChildren(node);
    assert.equal(api.resourcesTree.getTreeItem(identity!).label, 'System-assigned identity: Off');
  });

  it('creates a Key Vault with the lock icon and a compute resource with its identity on', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const kv = await ok<CreatedResource>('createResource', { type: 'keyvault', resourceGroup: 'rg-app', name: 'kv-app-1' });
    assert.equal(kv.az, createKeyVaultTwin({ resourceGroup: 'rg-app', name: 'kv-app-1' }));
    const kvItem = api.resourcesTree.getTreeItem(await findNode(api, ['Lab Subscription', 'rg-app', 'kv-app-1']));
    assert.equal((kvItem.iconPath as vscode.ThemeIcon).id, 'lock');

    const app = await ok<CreatedResource>('createResource', {
      type: 'webapp',
      resourceGroup: 'rg-app',
      name: 'web-app-1',
      systemAssigned: true,
    });
    const site = lab.arm.resource(app.value.id)!;
    assert.equal(site.identity?.systemAssigned?.principalId, app.value.principalId);
    assert.ok(
      lab.arm.resources.some(r => r.name === 'web-app-1-plan' && r.type === 'Microsoft.Web/serverfarms'),
      'its App Service plan was created too',
    );
    assert.equal(
      app.az,
      [
        createAppServicePlanTwin({ resourceGroup: 'rg-app', name: 'web-app-1-plan' }),
        createWebAppTwin({ resourceGroup: 'rg-app', name: 'web-app-1', plan: 'web-app-1-plan', assignIdentity: true }),
      ].join('\n'),
    );
    const node = await findNode(api, ['Lab Subscription', 'rg-app', 'web-app-1']);
    const [identity] = await api.resourcesTree.getChildren(node);
    const identityItem = api.resourcesTree.getTreeItem(identity!);
    assert.equal(identityItem.label, 'System-assigned identity: On');
    assert.equal(identityItem.description, app.value.principalId);
  });

  it('refuses names ARM refuses and leaves the lab as it was (see also badArguments)', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const before = snapshot(lab);
    const outcome = await run('createResource', { type: 'keyvault', resourceGroup: 'rg-lab', name: 'kv-app-1' });
    assert.ok(outcome && !outcome.ok);
    assert.match(outcome.error, /Key Vault names are unique across Azure, and kv-app-1 is taken/);
    assert.equal(snapshot(lab), before);
  });

  it('deletes a VM after saying what happens to its identity and assignments; undo brings everything back', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const vault = lab.arm.resources.find(r => r.name === 'kv-lab')!;
    const principal = vm.identity!.systemAssigned!.principalId;
    await ok('assignRole', { principalId: principal, role: 'Key Vault Secrets User', scope: vault.id });
    const before = snapshot(lab);
    const { value: report, az, message } = await ok<DeletionReport>('deleteResource', { id: vm.id, skipConfirmation: true });
    assert.equal(az, deleteResourceTwin(vm.id));
    assert.deepEqual(
      report.principals.map(p => p.objectId),
      [principal],
    );
    assert.equal(report.orphanedAssignments.length, 1);
    assert.match(
      message,
      /Deleted vm-web\. Its identity was deleted from Microsoft Entra ID\. 1 role assignment\(s\) stay behind as "Identity not found"/,
    );
    assert.equal(lab.arm.resource(vm.id), undefined);
    const labels = (await api.resourcesTree.getChildren(await findNode(api, ['Lab Subscription', 'rg-lab']))).map(n =>
      String(api.resourcesTree.getTreeItem(n).label),
    );
    assert.deepEqual(labels, ['kv-lab']);

    const undone = await ok<{ undone: string }>('undo');
    assert.equal(undone.value.undone, 'Delete vm-web');
    assert.equal(snapshot(lab), before, 'undo restores the lab exactly');
  });

  it('deletes a whole resource group', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const group = `/subscriptions/${lab.defaultSubscriptionId}/resourceGroups/rg-app`;
    const { value, az } = await ok<DeletionReport>('deleteResource', { id: group, skipConfirmation: true });
    assert.equal(az, 'az group delete --name rg-app --yes');
    assert.ok(value.resources.length >= 4);
    assert.equal(lab.arm.group(lab.defaultSubscriptionId, 'rg-app'), undefined);
    const groups = (await api.resourcesTree.getChildren((await api.resourcesTree.getChildren())[0])).map(n =>
      String(api.resourcesTree.getTreeItem(n).label),
    );
    assert.ok(!groups.includes('rg-app'));
  });

  it('enables a system-assigned identity from a tree element (as the context menu passes it)', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    await ok('createResource', { type: 'vm', resourceGroup: 'rg-lab', name: 'vm-tree' });
    const node = await findNode(api, ['Lab Subscription', 'rg-lab', 'vm-tree']);
    const { value, az } = await ok<{ principalId: string }>('enableSystemIdentity', node);
    const vm = lab.arm.resources.find(r => r.name === 'vm-tree')!;
    assert.equal(vm.identity?.systemAssigned?.principalId, value.principalId);
    assert.equal(az, enableSystemAssignedTwin(vm.id));
    assert.equal(az, 'az vm identity assign --resource-group rg-lab --name vm-tree');
  });

  it('resets to a fresh sample lab, keeping the traces', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    await ok('requestToken', { hostId: vm.id, resource: 'https://vault.azure.net' });
    const traces = lab.traces.size;
    const { value } = await ok<{ resources: number }>('resetLab', { skipConfirmation: true });
    assert.equal(value.resources, 2);
    assert.deepEqual(lab.arm.resources.map(r => r.name).sort(), ['kv-lab', 'vm-web']);
    assert.ok(!lab.arm.resources.some(r => r.name === 'vm-tree'));
    assert.equal(lab.traces.size, traces, 'traces are kept');
    assert.equal(lab.undoLabels[0], 'Reset lab');
  });

  it('exports the lab as an az script in an untitled shellscript editor', async () => {
    const { value } = await ok<{ document: vscode.TextDocument }>('exportAzScript');
    assert.equal(value.document.languageId, 'shellscript');
    assert.ok(value.document.isUntitled);
    const text = value.document.getText();
    assert.match(text, /^#!\/usr\/bin\/env bash/);
    assert.match(text, /az vm create --resource-group 'rg-lab' --name 'vm-web'|az vm create --resource-group rg-lab --name vm-web/);
    assert.match(text, /az keyvault create/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('copies resource and principal ids to the clipboard', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const copied = await ok<string>('copyResourceId', await findNode(api, ['Lab Subscription', 'rg-lab', 'vm-web']));
    assert.equal(copied.value, vm.id);
    assert.equal(await vscode.env.clipboard.readText(), vm.id);
    const [identity] = await api.resourcesTree.getChildren(await findNode(api, ['Lab Subscription', 'rg-lab', 'vm-web']));
    const principal = await ok<string>('copyPrincipalId', identity);
    assert.equal(principal.value, vm.identity!.systemAssigned!.principalId);
    assert.equal(await vscode.env.clipboard.readText(), principal.value);
  });

  it('shows the welcome content (an empty tree) when the lab has no resource group', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    for (const g of lab.arm.groups) {
      await ok('deleteResource', { id: `/subscriptions/${g.subscriptionId}/resourceGroups/${g.name}`, skipConfirmation: true });
    }
    assert.deepEqual(await api.resourcesTree.getChildren(), []);
    await resetLab();
    assert.equal((await api.resourcesTree.getChildren()).length, 1);
  });
});

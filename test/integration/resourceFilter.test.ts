// The Resources view with many VMs: 40 created through the Create Resource command, groups
// collapsed, then "Filter Resources…" narrows the tree, says so in the view, and clears.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateLab, ok, rejects, resetLab, run } from './helpers';
import type { ResourceNode } from '../../src/extension/views/nodes';
import type { FilterResult } from '../../src/extension/views/resourcesTree';
import type { LabExtensionApi } from '../../src/extension/api';

const VMS = 40;

async function children(api: LabExtensionApi, node?: ResourceNode): Promise<Array<{ node: ResourceNode; item: vscode.TreeItem }>> {
  const nodes = await api.resourcesTree.getChildren(node);
  return nodes.map(n => ({ node: n, item: api.resourcesTree.getTreeItem(n) }));
}

async function group(api: LabExtensionApi, name: string): Promise<{ node: ResourceNode; item: vscode.TreeItem } | undefined> {
  const [subscription] = await children(api);
  return (await children(api, subscription!.node)).find(g => g.item.label === name);
}

const labels = (rows: Array<{ item: vscode.TreeItem }>) => rows.map(r => String(r.item.label));

describe('resources: the Resources view with many VMs, and its filter', function () {
  this.timeout(180_000);
  before(async () => {
    await resetLab();
    await ok('createResource', { type: 'vm', resourceGroup: 'rg-fleet', name: 'vm-fleet-1', createGroup: true });
    for (let i = 2; i <= VMS; i++) await ok('createResource', { type: 'vm', resourceGroup: 'rg-fleet', name: `vm-fleet-${i}` });
  });
  after(async () => {
    await run('clearResourceFilter');
  });

  it(`collapses the groups once the tree holds more than 20 resources (${VMS} VMs), saying how many each holds`, async () => {
    const api = await activateLab();
    const fleet = await group(api, 'rg-fleet');
    assert.ok(fleet, 'rg-fleet is in the tree');
    assert.equal(fleet.item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.match(String(fleet.item.description), new RegExp(`${VMS} resources`));
    assert.equal((await children(api, fleet.node)).length, VMS);
    assert.equal((await group(api, 'rg-lab'))!.item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.equal(api.resourcesView.message, undefined);
  });

  it('filters by name: the view says so, the matches are expanded, the rest are gone; Clear Filter brings them back', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const { value } = await ok<FilterResult>('filterResources', { text: 'vm-fleet-1' });
    // vm-fleet-1, vm-fleet-10…19: 11 of them.
    assert.deepEqual(value, { filter: 'vm-fleet-1', shown: 11, total: lab.arm.resources.length });
    assert.equal(api.resourcesView.description, 'filter: vm-fleet-1');
    assert.equal(api.resourcesView.message, `Showing 11 of ${lab.arm.resources.length} resources matching "vm-fleet-1".`);
    assert.equal(await group(api, 'rg-lab'), undefined, "the sample's group has no match: not shown");
    const fleet = await group(api, 'rg-fleet');
    assert.equal(fleet!.item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    assert.deepEqual(labels(await children(api, fleet!.node)), ['vm-fleet-1', ...Array.from({ length: 10 }, (_, i) => `vm-fleet-1${i}`)]);

    // 41 VMs: rg-fleet's 40 stay collapsed, the sample group's one VM (vm-web) is shown expanded.
    await ok('filterResources', { text: 'virtual machine' });
    assert.equal((await group(api, 'rg-fleet'))!.item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const sample = await group(api, 'rg-lab');
    assert.equal(sample!.item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded, 'a group with one match expands');
    assert.deepEqual(labels(await children(api, sample!.node)), ['vm-web']);

    await ok('filterResources', { text: 'VM-FLEET-33' });
    const one = await group(api, 'rg-fleet');
    assert.equal(one!.item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded, 'a group with one match expands');
    assert.deepEqual(labels(await children(api, one!.node)), ['vm-fleet-33']);

    await ok('clearResourceFilter');
    assert.equal(api.resourcesView.description, undefined);
    assert.equal(api.resourcesView.message, undefined);
    assert.equal((await children(api, (await group(api, 'rg-fleet'))!.node)).length, VMS);
    assert.ok(await group(api, 'rg-lab'), 'the sample group is back');
  });

  it('filters by type and by group; a filter that matches nothing says so in the tree', async () => {
    const api = await activateLab();
    await ok('filterResources', { text: 'key vault' });
    assert.deepEqual(labels(await children(api, (await group(api, 'rg-lab'))!.node)), ['kv-lab']);
    assert.equal(await group(api, 'rg-fleet'), undefined);

    await ok('filterResources', { text: 'rg-lab' });
    assert.equal(await group(api, 'rg-fleet'), undefined);
    assert.ok((await children(api, (await group(api, 'rg-lab'))!.node)).length >= 2);

    await ok('filterResources', { text: 'no-such-thing' });
    const rows = await children(api);
    assert.equal(rows.length, 1);
    assert.match(String(rows[0]!.item.label), /No resource matches "no-such-thing"/);
    await ok('filterResources', { text: '' });
    assert.equal(api.resourcesTree.filterText, undefined, 'empty text clears the filter');
  });

  it('refuses a filter no filter can be, and keeps the one it had', async () => {
    const api = await activateLab();
    await ok('filterResources', { text: 'vm-fleet-2' });
    await rejects(api, 'filterResources', { text: 'x'.repeat(201) }, /at most 200 characters/);
    await rejects(api, 'filterResources', { text: 7 }, /is text/);
    await rejects(api, 'filterResources', {}, /'text' is required/);
    assert.equal(api.resourcesTree.filterText, 'vm-fleet-2');
    assert.equal(api.resourcesView.description, 'filter: vm-fleet-2');
  });
});

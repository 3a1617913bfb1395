// The Resources filter rule: words against name, type and group; parents of a matching child
// and children of a matching parent are shown; groups collapse when the tree shows many.
import * as assert from 'node:assert/strict';
import { createLab } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';
import { createOrUpdateResource, createOrUpdateResourceGroup } from '../../../src/engine/operations/resources';
import {
  EXPAND_GROUPS_UP_TO,
  MAX_FILTER_LENGTH,
  filterSummary,
  groupStartsExpanded,
  parseResourceFilter,
  shownResourceIds,
} from '../../../src/engine/readModels/overview/resourceFilter';
import { isLabError } from '../../../src/engine/base/errors';

async function manyVms(count: number): Promise<Lab> {
  const lab = await createLab();
  createOrUpdateResourceGroup(lab, LAB_CALLER, { name: 'rg-fleet', location: 'eastus' });
  for (let i = 1; i <= count; i++) {
    createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: 'rg-fleet', type: 'vm', name: `vm-fleet-${i}` });
  }
  createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: 'rg-fleet', type: 'sqlserver', name: 'sql-fleet' });
  createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: 'rg-fleet', type: 'sqldb', name: 'sql-fleet/orders' });
  return lab;
}

const names = (lab: Lab, shown: Set<string>) =>
  lab.arm.resources
    .filter(r => shown.has(r.id.toLowerCase()))
    .map(r => r.name)
    .sort();

describe('engine: the Resources filter', () => {
  it('matches every word against name, ARM type, type display name and group, ignoring case', async () => {
    const lab = await manyVms(12);
    assert.deepEqual(names(lab, shownResourceIds(lab.arm.resources, parseResourceFilter('VM-FLEET-1'))), [
      'vm-fleet-1',
      'vm-fleet-10',
      'vm-fleet-11',
      'vm-fleet-12',
    ]);
    assert.deepEqual(names(lab, shownResourceIds(lab.arm.resources, parseResourceFilter('key vault'))), ['kv-lab']);
    assert.deepEqual(names(lab, shownResourceIds(lab.arm.resources, parseResourceFilter('microsoft.keyvault/vaults'))), ['kv-lab']);
    const inFleet = shownResourceIds(lab.arm.resources, parseResourceFilter('rg-fleet virtual machine'));
    assert.equal(inFleet.size, 12, 'the group and the type together: the 12 VMs, not the SQL server');
    assert.equal(shownResourceIds(lab.arm.resources, parseResourceFilter('nothing-is-called-this')).size, 0);
  });

  it("shows a matching child's parent, and every child of a matching parent", async () => {
    const lab = await manyVms(1);
    assert.deepEqual(names(lab, shownResourceIds(lab.arm.resources, parseResourceFilter('orders'))), ['sql-fleet', 'sql-fleet/orders']);
    assert.deepEqual(names(lab, shownResourceIds(lab.arm.resources, parseResourceFilter('sql-fleet'))), ['sql-fleet', 'sql-fleet/orders']);
  });

  it('shows everything without a filter; empty text is no filter', async () => {
    const lab = await manyVms(3);
    assert.equal(parseResourceFilter('   '), undefined);
    assert.equal(shownResourceIds(lab.arm.resources, undefined).size, lab.arm.resources.length);
  });

  it('refuses text no filter can be, with the reason', () => {
    const refused = (text: unknown, why: RegExp) =>
      assert.throws(
        () => parseResourceFilter(text),
        (e: unknown) => isLabError(e) && e.code === 'InvalidArgument' && why.test(e.message),
      );
    refused(42, /is text/);
    refused('x'.repeat(MAX_FILTER_LENGTH + 1), /at most 200 characters/);
    refused(Array.from({ length: 11 }, (_, i) => `w${i}`).join(' '), /at most 10 words/);
  });

  it('collapses groups when the tree shows many resources, expands a group with one match', () => {
    assert.equal(groupStartsExpanded(EXPAND_GROUPS_UP_TO, EXPAND_GROUPS_UP_TO), true);
    assert.equal(groupStartsExpanded(EXPAND_GROUPS_UP_TO + 1, 40), false);
    assert.equal(groupStartsExpanded(41, 1), true);
  });

  it('says what the filter shows, and what to do when it shows nothing', () => {
    const filter = parseResourceFilter('vm-1')!;
    assert.equal(filterSummary(filter, 11, 42), 'Showing 11 of 42 resources matching "vm-1".');
    assert.match(filterSummary(filter, 0, 42), /No resource matches "vm-1" \(of 42\)\. Clear the filter/);
  });
});

import * as assert from 'node:assert/strict';
import { activateLab, note, ok, resetLab, waitFor } from './helpers';
import type { HttpResult } from '../../src/host/appClient';

describe('extension in a real VS Code', () => {
  before(resetLab);

  it('activates (its time printed) and starts the lab in the background', async () => {
    const api = await activateLab();
    note(`activation took ${api.activationMs.toFixed(1)} ms`);
    const lab = await api.ready();
    assert.ok(lab.arm.resources.length >= 2);
    assert.match(await api.serverUrl(), /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('shows subscription → resource group → VM and Key Vault in the Resources tree, with the VM’s identity', async () => {
    const api = await activateLab();
    const tree = api.resourcesTree;
    const [subscription] = await tree.getChildren();
    assert.equal(subscription?.kind, 'subscription');
    const [group] = await tree.getChildren(subscription);
    assert.equal(tree.getTreeItem(group!).label, 'rg-lab');
    const resources = await tree.getChildren(group);
    const labels = resources.map(r => String(tree.getTreeItem(r).label));
    assert.deepEqual(labels.sort(), ['kv-lab', 'vm-web']);
    const vm = resources.find(r => tree.getTreeItem(r).label === 'vm-web')!;
    const [identity] = await tree.getChildren(vm);
    const item = tree.getTreeItem(identity!);
    const lab = await api.ready();
    const principalId = lab.arm.resources.find(r => r.name === 'vm-web')!.identity!.systemAssigned!.principalId;
    assert.equal(item.label, 'System-assigned identity: On');
    assert.equal(item.description, principalId);
  });

  it('requests a token over HTTP from the palette command, records a trace and the webview draws it', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const before = lab.traces.all.length;
    const { value } = await ok<HttpResult>('requestToken', { hostId: vm.id, resource: 'https://vault.azure.net' });
    assert.equal(value.status, 200);
    assert.equal(typeof value.body['access_token'], 'string');
    assert.equal(lab.traces.all.length, before + 1);
    const trace = lab.traces.latest!;
    assert.equal(trace.outcome, 'success');
    const render = await waitFor(
      () => (api.tokenFlow.lastRender?.traceId === trace.id ? api.tokenFlow.lastRender : undefined),
      30_000,
      'the Token Flow webview to render the trace',
    );
    assert.ok(
      render.participants.some(p => p.includes('vm-web')),
      `participants: ${render.participants.join(', ')}`,
    );
    assert.ok(render.participants.some(p => p.includes('IMDS')));
    assert.ok(render.messageCount >= 2);
  });

  it('redraws live: a failed request becomes the next diagram', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const { value } = await ok<HttpResult>('requestToken', { hostId: vm.id, resource: 'https://not-a-resource.example' });
    assert.equal(value.status, 400);
    const trace = lab.traces.latest!;
    assert.equal(trace.outcome, 'failure');
    await waitFor(() => (api.tokenFlow.lastRender?.traceId === trace.id ? true : undefined), 30_000, 'the webview to redraw');
  });
});

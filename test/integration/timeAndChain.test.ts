// Time and the credential chain inside VS Code: the clock commands and their status-bar item,
// the RBAC propagation setting, groups in Identities & Access, and the Credential Chain drawn by
// the Token Flow webview (Mermaid in the real webview), from arguments and from a failed trace.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateLab, ok, rejects, resetLab, run, waitFor } from './helpers';
import type { ClockView } from '../../src/engine/readModels/clock';
import type { CredentialChain } from '../../src/engine/readModels/credentialChain/evaluate';
import { runAz } from '../../src/az';

async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('managedIdentityLab').update(key, value, vscode.ConfigurationTarget.Global);
}

describe('time and the credential chain', () => {
  before(resetLab);
  after(async () => {
    await run('realTimeClock');
    await setting('rbacPropagation', undefined);
  });

  it('advances, pauses and resets the lab clock, and the status bar follows', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const { value, az } = await ok<ClockView>('advanceClock', { duration: '1h' });
    assert.equal(az, 'milab clock advance 1h');
    assert.equal(value.mode, 'offset');
    assert.ok(lab.clock.now() - Date.now() > 3_590_000);
    await waitFor(() => /^\$\(history\) Lab \+1 h$/.test(api.clockStatus.text) || undefined, 5000, 'the status bar to show +1 h');
    await ok('pauseClock');
    await waitFor(() => api.clockStatus.text === '$(debug-pause) Lab paused' || undefined, 5000, 'the status bar to show the pause');
    assert.match(api.clockStatus.tooltip, /paused; real time \+ 1 h/);
    await ok('realTimeClock');
    await waitFor(() => api.clockStatus.text === '$(clock) Lab time' || undefined, 5000, 'the status bar to show real time');
    await rejects(api, 'advanceClock', { duration: 'soon' }, /'soon' is not a duration the clock can advance by/);
  });

  it('applies managedIdentityLab.rbacPropagation to the lab when it is set', async () => {
    const lab = await (await activateLab()).ready();
    await setting('rbacPropagation', 'realistic');
    await waitFor(() => lab.settings.rbacPropagation.mode === 'realistic' || undefined, 10_000, 'realistic propagation');
    assert.equal(lab.settings.rbacPropagation.delaySeconds, 600);
    await setting('rbacPropagation', 'instant');
    await waitFor(() => lab.settings.rbacPropagation.mode === 'instant' || undefined, 10_000, 'instant propagation again');
    // Unset, the setting leaves the lab's own choice alone (a scenario may have made it realistic).
    await setting('rbacPropagation', undefined);
  });

  it('shows a group, its members and its role assignment in Identities & Access', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const vault = lab.arm.resources.find(r => r.name === 'kv-lab')!;
    for (const line of [
      ['ad', 'group', 'create', '--display-name', 'kv-readers', '--mail-nickname', 'kv-readers'],
      ['ad', 'group', 'member', 'add', '--group', 'kv-readers', '--member-id', vm.identity!.systemAssigned!.principalId],
      ['role', 'assignment', 'create', '--assignee', 'kv-readers', '--role', 'Key Vault Secrets User', '--scope', vault.id],
    ]) {
      const result = await runAz(lab, line);
      assert.equal(result.exitCode, 0, result.stderr);
    }
    const tree = api.identitiesTree;
    const roots = await waitFor(
      async () => {
        const nodes = await tree.getChildren();
        return nodes.some(n => n.kind === 'entraGroup') ? nodes : undefined;
      },
      5000,
      'the group in the tree',
    );
    const group = roots.find(n => n.kind === 'entraGroup')!;
    const item = tree.getTreeItem(group);
    assert.equal(item.label, 'kv-readers');
    assert.match(String(item.description), /security group · 1 member · 1 role assignment/);
    const children = await tree.getChildren(group);
    assert.deepEqual(
      children.map(c => c.kind),
      ['groupMember', 'assignment'],
    );
    assert.match(String(tree.getTreeItem(children[0]!).description), /member, added \d+ s ago \(lab time\)/);
    const identity = roots.find(n => n.kind === 'identity' && tree.getTreeItem(n).label === 'vm-web')!;
    const memberships = (await tree.getChildren(identity)).filter(n => n.kind === 'membership');
    assert.equal(tree.getTreeItem(memberships[0]!).label, 'Member of kv-readers');
  });

  it('draws the Credential Chain for your machine in Token Flow', async () => {
    const api = await activateLab();
    const { value } = await ok<{ chain: CredentialChain; viewId: string }>('showCredentialChain', { environment: 'local', language: 'js' });
    assert.equal(value.chain.answeredBy, 'AzureCliCredential');
    const report = await api.tokenFlow.drawn(value.viewId);
    assert.ok(report.participants.includes('AzureCliCredential'), report.participants.join(', '));
    assert.deepEqual(api.tokenFlow.cspViolations, []);
  });

  it('draws the chain behind a failed token request (Identity not found for an AZURE_CLIENT_ID the VM does not have)', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const url = await api.serverUrl();
    await fetch(
      `${url}/hosts${vm.id}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net&client_id=00000000-0000-0000-0000-00000000abcd`,
      { headers: { Metadata: 'true' } },
    );
    const trace = await waitFor(
      () => lab.traces.all.find(t => t.outcome === 'failure' && t.hostResourceId === vm.id),
      5000,
      'the failed trace',
    );
    const { value } = await ok<{ chain: CredentialChain; viewId: string }>('showCredentialChain', { traceId: trace.id });
    assert.equal(value.chain.answeredBy, undefined);
    assert.match(value.chain.clientIdEffect!, /00000000-0000-0000-0000-00000000abcd/);
    await api.tokenFlow.drawn(value.viewId);
    await rejects(api, 'showCredentialChain', { environment: 'kv-lab' }, /not a compute resource/);
  });
});

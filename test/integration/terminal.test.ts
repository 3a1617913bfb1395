import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateLab, note, waitFor } from './helpers';
import type { LabTerminal } from '../../src/extension/terminal/labTerminal';
import type { ResourceNode } from '../../src/extension/views/resourcesTree';

const GROUP = 'terminal-test-rg';

describe('lab terminal in a real VS Code', () => {
  it('opens from "Open Lab Terminal", runs the seed\'s az commands in-process, and the Resources tree shows the change', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('managedIdentityLab.openTerminal'));
    const { terminal, pty } = (await vscode.commands.executeCommand('managedIdentityLab.openTerminal')) as {
      terminal: vscode.Terminal;
      pty: LabTerminal;
    };
    try {
      assert.equal(terminal.name, 'Managed Identity Lab');
      await waitFor(() => pty.transcript.includes('Type \x1b[1mhelp'), 30_000, 'the terminal to greet');
      assert.ok(pty.transcript.includes(lab.directory.user.userPrincipalName));

      const typed =
        `az group create -n ${GROUP} -l eastus --query name -o tsv\r` +
        `az identity create \\\r  --resource-group ${GROUP} \\\r  --name myAppIdentity \\\r  --location eastus\r`;
      pty.handleInput(typed);
      await pty.whenIdle();
      const identity = lab.arm.resources.find(r => r.name === 'myAppIdentity');
      assert.ok(identity?.managedIdentity, `the identity exists in the lab:\n${pty.transcript}`);
      assert.ok(pty.transcript.includes(`"principalId": "${identity.managedIdentity.principalId}"`), 'its JSON was printed');
      note(`terminal created ${identity.id}`);

      // The Resources tree (driven by the engine's change events) shows it without a refresh.
      const tree = api.resourcesTree;
      const [subscription] = await tree.getChildren();
      const groups = await tree.getChildren(subscription);
      const group = groups.find(g => tree.getTreeItem(g).label === GROUP) as ResourceNode;
      assert.ok(group, 'the new group is in the tree');
      const labels = (await tree.getChildren(group)).map(r => String(tree.getTreeItem(r).label));
      assert.deepEqual(labels, ['myAppIdentity']);

      // A seed line pasted with its placeholders: answered in red, with the lab's real values.
      const before = pty.transcript.length;
      pty.handleInput(
        'az role assignment create --assignee <principal-id> --role "Key Vault Secrets User" --scope "/subscriptions/{sub}/resourceGroups/myRG/providers/Microsoft.KeyVault/vaults/myKeyVault"\r',
      );
      await pty.whenIdle();
      const answer = pty.transcript.slice(before);
      assert.match(answer, /\x1b\[91m--assignee '<principal-id>': '<principal-id>' is a placeholder/);
      assert.ok(answer.includes(lab.defaultSubscriptionId), 'the real subscription id is shown');

      // Variables and command substitution, as in the course's bash.
      pty.handleInput(
        `ID=$(az identity show -g ${GROUP} -n myAppIdentity --query principalId -o tsv)\raz role assignment create --assignee-object-id "$ID" --assignee-principal-type ServicePrincipal --role Reader -g ${GROUP} --query principalId -o tsv\r`,
      );
      await pty.whenIdle();
      assert.equal(lab.assignments.forPrincipal(identity.managedIdentity.principalId).length, 1);

      pty.handleInput(`az group delete -n ${GROUP} --yes\r`);
      await pty.whenIdle();
      assert.equal(lab.arm.group(lab.defaultSubscriptionId, GROUP), undefined, 'cleaned up');
      assert.doesNotMatch(pty.transcript, /\n\s+at .+:\d+:\d+/, 'no stack traces');
    } finally {
      terminal.dispose();
    }
  });

  it('opens as the "Managed Identity Lab" terminal profile', async () => {
    await activateLab();
    const opened = new Promise<vscode.Terminal>(resolve => {
      const listener = vscode.window.onDidOpenTerminal(t => {
        if (t.name === 'Managed Identity Lab') {
          listener.dispose();
          resolve(t);
        }
      });
    });
    // A contributed profile is created from { config: { extensionIdentifier, id, title } } (VS Code terminalActions.ts, newWithProfile).
    await vscode.commands.executeCommand('workbench.action.terminal.newWithProfile', {
      config: { extensionIdentifier: 'milab.managed-identity-lab', id: 'managedIdentityLab.terminal', title: 'Managed Identity Lab' },
    });
    const terminal = await Promise.race([opened, new Promise<undefined>(r => setTimeout(() => r(undefined), 20_000))]);
    assert.ok(terminal, 'the profile opened a lab terminal');
    terminal.dispose();
  });
});

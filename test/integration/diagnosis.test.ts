// Diagnosis in a real VS Code: Diagnose Error… with a pasted text, the editor's selection and the
// clipboard; the panel's fix button (the same message the webview sends) assigns the role and runs
// the request again, drawn as a success in Token Flow; "Why did this fail?" on a failed Activity
// item; Check Access ↔ diagnosis; least privilege; `diagnose` in the lab terminal; the panel's CSP.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateLab, note, ok, resetLab, waitFor } from './helpers';
import type { SecretReadResult } from '../../src/host/appClient';
import type { DiagnosisSummary } from '../../src/extension/diagnosis/diagnosisController';
import type { LabTerminal } from '../../src/extension/terminal/labTerminal';
import type { Lab } from '../../src/engine/lab/lab';

const GET_SECRET = 'Microsoft.KeyVault/vaults/secrets/getSecret/action';

/** Key Vault's 403 body for this lab's VM, as an SDK prints it (Key Vault lower-cases the resource). */
function keyVault403(lab: Lab): string {
  const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
  const vault = lab.arm.resources.find(r => r.name === 'kv-lab')!;
  const { principalId, clientId } = vm.identity!.systemAssigned!;
  return [
    'Azure.RequestFailedException: Caller is not authorized to perform action on resource.',
    'If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.',
    `Caller: appid=${clientId};oid=${principalId};iss=https://sts.windows.net/${lab.tenantId}/`,
    `Action: '${GET_SECRET}'`,
    `Resource: '${vault.id.toLowerCase()}/secrets/db-password'`,
    'Assignment: (not found)',
    'Vault: kv-lab;location=eastus',
    'Status: 403 (Forbidden)',
    'ErrorCode: Forbidden',
  ].join('\n');
}

describe('diagnosis in VS Code', () => {
  before(resetLab);

  it('Diagnose Error… with a pasted Key Vault 403: the finding in the lab’s words, a fix with its az twin, a clean CSP', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const { value } = await ok<DiagnosisSummary>('diagnoseError', { text: keyVault403(lab) });
    assert.equal(value.findings[0]!.category, 'rbac-forbidden-keyvault');
    assert.equal(value.findings[0]!.title, "vm-web's system-assigned identity may not getSecret on kv-lab (Key Vault 403)");
    const view = await waitFor(() => (api.diagnosis.isOpen ? api.diagnosis.view : undefined), 10_000, 'the panel');
    const [fix] = view.findings[0]!.fixes;
    assert.equal(fix!.title, 'Assign Key Vault Secrets User at kv-lab');
    assert.match(
      fix!.az!,
      /^az role assignment create --assignee-object-id [0-9a-f-]{36} --assignee-principal-type ServicePrincipal --role "Key Vault Secrets User" --scope \/subscriptions\/.*\/vaults\/kv-lab$/,
    );
    assert.ok(view.findings[0]!.checkAccess, 'Check Access is offered for the principal, action and scope');
    await new Promise(r => setTimeout(r, 1500));
    assert.deepEqual(api.diagnosis.cspViolations, []);
  });

  it('the fix button assigns the role and runs the denied request again: Token Flow draws it succeeding', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const denied = await ok<SecretReadResult>('callService', { hostId: vm.id, vault: 'kv-lab', secret: 'db-password' });
    assert.equal(denied.value.status, 403);
    await ok('diagnoseError', { text: keyVault403(lab) });
    const view = api.diagnosis.view!;
    assert.deepEqual(
      view.findings[0]!.fixes.map(f => [f.title, f.runnable]),
      [
        ['Assign Key Vault Secrets User at kv-lab', true],
        ['Then run the same request again', true],
      ],
    );
    const before = lab.traces.size;
    api.diagnosis.onMessage!({ type: 'fix', finding: 0, fix: 0 });
    const status = await waitFor(
      () => (api.diagnosis.lastStatus?.severity === 'success' ? api.diagnosis.lastStatus : undefined),
      30_000,
      'the fix to finish',
    );
    assert.match(
      status.text,
      /^Assigned Key Vault Secrets User at .*kv-lab\. Ran the request again: vm-web reads secret db-password from kv-lab — 200, it works\.$/,
    );
    assert.ok(lab.traces.size > before);
    const trace = lab.traces.latest!;
    assert.equal(trace.outcome, 'success');
    await waitFor(() => (api.tokenFlow.lastRender?.traceId === trace.id ? true : undefined), 30_000, 'Token Flow to draw the success');
    note(`fixed and re-ran: ${trace.title}`);
  });

  it('"Why did this fail?" on a failed Activity item explains it from the trace, and Check Access links back to a diagnosis', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    await ok('requestToken', { hostId: vm.id, resource: 'https://vault.azure.com' });
    const failed = api.activityTree.getChildren()[0]!;
    assert.equal(api.activityTree.getTreeItem(failed).contextValue, 'trace failure');
    const { value } = await ok<DiagnosisSummary>('whyDidThisFail', failed);
    assert.equal(value.findings[0]!.category, 'aadsts-resource-not-found');
    assert.match(api.diagnosis.view!.heading, /^Why did this fail\? — Token for https:\/\/vault\.azure\.com as vm-web$/);
    assert.deepEqual(
      api.diagnosis.view!.findings[0]!.fixes.map(f => f.title),
      ['Request the token for https://vault.azure.net'],
    );
    const vault = lab.arm.resources.find(r => r.name === 'kv-lab')!;
    const access = await ok<DiagnosisSummary>('diagnoseAccess', {
      principalId: vm.identity!.systemAssigned!.principalId,
      action: 'Microsoft.KeyVault/vaults/secrets/setSecret/action',
      scope: vault.id,
    });
    assert.equal(access.value.findings[0]!.category, 'rbac-forbidden-keyvault');
    assert.match(access.value.findings[0]!.fixes[0]!, /^Assign Key Vault Secrets Officer at kv-lab/);
  });

  it('uses the editor’s selection, and the clipboard when it holds an error', async () => {
    const api = await activateLab();
    const document = await vscode.workspace.openTextDocument({
      content: `log start\n{"error":"invalid_request","error_description":"Identity not found"}\nlog end`,
    });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(1, 0, 1, 200);
    const fromSelection = await ok<DiagnosisSummary>('diagnoseError');
    assert.equal(fromSelection.value.findings[0]!.category, 'imds-identity-not-found');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.env.clipboard.writeText('AADSTS700024: Client assertion is not within its valid time range.');
    const fromClipboard = await ok<DiagnosisSummary>('diagnoseError');
    assert.equal(fromClipboard.value.findings[0]!.category, 'aadsts-client-assertion-expired');
    await vscode.env.clipboard.writeText('nothing to see');
    assert.equal(
      await vscode.commands.executeCommand('managedIdentityLab.diagnoseError'),
      undefined,
      'an empty paste box when there is nothing to diagnose',
    );
    assert.equal(api.diagnosis.isOpen, true);
  });

  it('suggests least privilege from what the VM did', async () => {
    const api = await activateLab();
    const lab = await api.ready();
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const { value } = await ok<DiagnosisSummary>('suggestLeastPrivilege', { principalId: vm.identity!.systemAssigned!.principalId });
    assert.match(api.diagnosis.view!.findings[0]!.explanation, /getSecret at kv-lab\/db-password/);
    assert.match(value.findings[0]!.title, /^Least privilege for vm-web's system-assigned identity$/);
  });

  it('`diagnose` in the lab terminal reads a pasted block ended by an empty line', async () => {
    const { terminal, pty } = (await vscode.commands.executeCommand('managedIdentityLab.openTerminal')) as {
      terminal: vscode.Terminal;
      pty: LabTerminal;
    };
    try {
      await waitFor(() => pty.transcript.includes('Type \x1b[1mhelp'), 30_000, 'the terminal to greet');
      const before = pty.transcript.length;
      pty.handleInput(
        'diagnose\r{"error":"invalid_request",\r"error_description":"Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request"}\r\r',
      );
      await pty.whenIdle();
      const answer = pty.transcript.slice(before);
      assert.match(answer, /Paste the error, then press Enter on an empty line/);
      assert.match(answer, /\x1b\[1mmultiple-user-assigned-no-selection\x1b\[0m — /);
    } finally {
      terminal.dispose();
    }
  });
});

// Diagnose Error…, as a person uses it in a real VS Code in a real browser: read the secret as
// the VM (403), paste Key Vault's error into the Diagnosis panel, see the finding in the lab's
// words, click the fix, and see the same request succeed in Token Flow. Screenshots go to
// test-results/e2e/.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import {
  contextMenu,
  notification,
  openLabView,
  openWorkbench,
  pickQuickItem,
  runCommand,
  treeRow,
  webviewFrame,
  type Workbench,
} from './workbench';

async function textOf(frame: Frame, selector: string, expected: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await frame
      .locator(selector)
      .first()
      .innerText()
      .catch(() => '');
    if (expected.test(text)) return text;
    await frame.page().waitForTimeout(200);
  }
  return text;
}

describe('e2e: Diagnose Error… in a real VS Code in a real browser', () => {
  let workbench: Workbench;
  before(async () => {
    workbench = await openWorkbench();
  });
  after(async () => {
    await workbench?.close();
  });

  it('pastes a Key Vault 403, sees the finding, clicks the fix, and the request succeeds in Token Flow', async () => {
    const { page } = workbench;
    await openLabView(page);
    await treeRow(page, 'Resources', 'vm-web').waitFor({ timeout: 60_000 });
    await contextMenu(page, treeRow(page, 'Resources', 'vm-web'), 'Call a Service (Read a Secret)…');
    await pickQuickItem(page, 'kv-lab');
    await pickQuickItem(page, 'db-password');
    await notification(page, /vm-web could not read db-password from kv-lab: 403 ForbiddenByRbac/);

    // What a person copies from their app's log: Key Vault's 403, with this lab's ids in it.
    const state = JSON.parse(fs.readFileSync(path.join(workbench.stateDir, 'lab.json'), 'utf8'));
    const vm = state.resources.find((r: { name: string }) => r.name === 'vm-web');
    const vault = state.resources.find((r: { name: string }) => r.name === 'kv-lab');
    const pasted = [
      'Azure.RequestFailedException: Caller is not authorized to perform action on resource.',
      'If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.',
      `Caller: appid=${vm.identity.systemAssigned.clientId};oid=${vm.identity.systemAssigned.principalId};iss=https://sts.windows.net/${state.tenant.tenantId}/`,
      "Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'",
      `Resource: '${vault.id.toLowerCase()}/secrets/db-password'`,
      'Assignment: (not found)',
      'Vault: kv-lab;location=eastus',
      'Status: 403 (Forbidden)',
    ].join('\n');

    await runCommand(page, 'Managed Identity Lab: Diagnose Error…');
    const panel = await webviewFrame(page, '#paste');
    await panel.locator('#paste').fill(pasted);
    await workbench.screenshot('diagnosis-01-pasted');
    await panel.locator('#diagnose').click();
    const title = await textOf(panel, '.finding.best h2', /may not getSecret/);
    assert.equal(title, "vm-web's system-assigned identity may not getSecret on kv-lab (Key Vault 403)");
    assert.equal(await panel.locator('.finding.best .category').innerText(), 'rbac-forbidden-keyvault');
    assert.match(await panel.locator('.finding.best .explanation').innerText(), /'Key Vault Secrets User' at kv-lab would grant getSecret/);
    const az = await panel.locator('.finding.best .fix .az code').first().innerText();
    assert.match(
      az,
      /^az role assignment create --assignee-object-id [0-9a-f-]{36} --assignee-principal-type ServicePrincipal --role "Key Vault Secrets User" --scope /,
    );
    await workbench.screenshot('diagnosis-02-finding');

    await panel.locator('.finding.best .run-fix', { hasText: 'Assign Key Vault Secrets User at kv-lab' }).click();
    const status = await textOf(panel, '#status', /it works|still|:/, 60_000);
    assert.match(
      status,
      /^Assigned Key Vault Secrets User at .*kv-lab\. Ran the request again: vm-web reads secret db-password from kv-lab — 200, it works\.$/,
    );
    const flow = await webviewFrame(page, '#diagram svg');
    assert.equal(await textOf(flow, '#status', /^Succeeded$/), 'Succeeded');
    assert.equal(await flow.locator('#title').innerText(), 'Key Vault kv-lab: GET secrets/db-password');
    await workbench.screenshot('diagnosis-03-fixed');
  });

  it('"Why did this fail?" on a failed Token Flow diagram opens its diagnosis', async () => {
    const { page } = workbench;
    await runCommand(page, 'Managed Identity Lab: Request Token…');
    await pickQuickItem(page, 'vm-web');
    await pickQuickItem(page, 'https://nothing.example');
    const flow = await webviewFrame(page, '#diagram svg');
    assert.match(await textOf(flow, '#status', /^Failed/), /^Failed: 400/);
    await flow.locator('#why').click();
    const panel = await webviewFrame(page, '#paste');
    assert.match(
      await textOf(panel, '#heading', /Why did this fail/),
      /^Why did this fail\? — Token for https:\/\/nothing\.example as vm-web$/,
    );
    assert.equal(await textOf(panel, '.finding.best .category', /aadsts/), 'aadsts-resource-not-found');
    await workbench.screenshot('diagnosis-04-why');
  });
});
